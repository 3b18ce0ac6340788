import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { backupDatabase, listBackups } from '../../../src/store/backup.js';
import { Housekeeping } from '../../../src/daemon/housekeeping.js';
import { silentLogger } from '../../../src/platform/log.js';
import { testConfig } from '../../helpers/env.js';
import { addJob, tempStore } from '../../helpers/store.js';

function setup(minFreeDiskMb = 0) {
  const config = testConfig({
    housekeeping: { keepJobsDays: 90, keepFailedWorkDays: 7, minFreeDiskMb, backupCron: '17 3 * * *' },
  });
  const jobs = tempStore();
  const workRoot = join(config.dataDir, 'work');
  let paused: boolean | undefined;
  const hk = new Housekeeping({
    config,
    jobs,
    refusals: jobs.refusals,
    db: jobs.db,
    workRoot,
    hooks: {
      rescan: () => 0,
      setIntakePaused: (p) => {
        paused = p;
      },
      activeJobIds: () => new Set(),
      pumpScheduler: () => {},
    },
    log: silentLogger,
  });
  return { config, jobs, workRoot, hk, paused: () => paused };
}

test('retention keeps work folders of queued and recently failed jobs, removes the rest', () => {
  const { jobs, workRoot, hk } = setup();
  const queued = addJob(jobs).job;
  const done = addJob(jobs).job;
  const failed = addJob(jobs).job;
  jobs.complete(done.id, [], []);
  jobs.fail(failed.id, 'x', 'bug');
  for (const id of [queued.id, done.id, failed.id, 999]) mkdirSync(join(workRoot, String(id)), { recursive: true });
  hk.retention();
  assert.deepEqual(readdirSync(workRoot).sort(), [String(queued.id), String(failed.id)].sort());
});

test('the disk guard pauses intake when free space is below the limit', () => {
  assert.equal(setup(0).hk.checkDisk(), false);
  const low = setup(1e12);
  assert.equal(low.hk.checkDisk(), true);
  assert.equal(low.paused(), true);
});

test('backups are integrity-checked copies, the newest seven kept', async () => {
  const { jobs, config } = setup();
  addJob(jobs);
  for (let i = 0; i < 9; i++) await backupDatabase(jobs.db, config.dataDir, new Date(Date.UTC(2026, 0, 1 + i)));
  const names = listBackups(config.dataDir);
  assert.equal(names.length, 7);
  assert.match(names[0]!, /2026-01-09/);
  assert.ok(!existsSync(join(config.dataDir, 'backups', `${names[0]}.partial`)));
});
