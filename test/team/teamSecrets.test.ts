// The real daemon started with `--team postgres://user:PASSWORD@...` on a data folder an older version left
// world-readable (0755 folders, 0644 files): the running daemon's command line (/proc/<pid>/cmdline) and its log
// never hold the password, and after start the data folder and its subfolders are 0700 and jobs.db, its -wal and
// -shm, every backup and every work file of a job are 0600.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { REPO, tempDir, testConfig } from '../helpers/env.js';
import { PgCluster, SKIP_NO_POSTGRES } from './pgCluster.js';
import { makeClips } from './teamFixture.js';

const PASSWORD = 'Sup3r-s3cret:pa@ss';
const SKIP = SKIP_NO_POSTGRES || (process.platform !== 'linux' && 'reads /proc/<pid>/cmdline (Linux only)');

let cluster: PgCluster | undefined;
let child: ChildProcess | undefined;

const mode = (p: string) => (lstatSync(p).mode & 0o777).toString(8);

/** A data folder as an older dropscribe left it: folders 0755, jobs.db and a backup 0644. */
function oldDataFolder(dataDir: string): void {
  mkdirSync(join(dataDir, 'backups'), { recursive: true });
  mkdirSync(join(dataDir, 'work'), { recursive: true });
  const db = new Database(join(dataDir, 'jobs.db'));
  db.pragma('journal_mode = WAL');
  db.close();
  copyFileSync(join(dataDir, 'jobs.db'), join(dataDir, 'backups', 'jobs-2020-01-01T00-00-00-000Z.db'));
  for (const d of [dataDir, join(dataDir, 'backups'), join(dataDir, 'work')]) chmodSync(d, 0o755);
  chmodSync(join(dataDir, 'jobs.db'), 0o644);
  chmodSync(join(dataDir, 'backups', 'jobs-2020-01-01T00-00-00-000Z.db'), 0o644);
}

/** Every file below `dir` now, with its mode. */
function filesBelow(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(dir, { recursive: true }) as string[];
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      const st = lstatSync(join(dir, name));
      if (st.isFile()) out.set(name, (st.mode & 0o777).toString(8));
    } catch {
      /* removed meanwhile */
    }
  }
  return out;
}

describe('secrets and the data folder of a team daemon', { skip: SKIP, timeout: 300_000 }, () => {
  before(async () => {
    cluster = await PgCluster.create();
  });
  after(() => {
    child?.kill('SIGKILL');
    cluster?.destroy();
  });

  test('no password in the command line or the log; the data folder 0700, its database, backups and work files 0600', async () => {
    const root = tempDir();
    const inbox = join(root, 'inbox');
    const outbox = join(root, 'outbox');
    const dataDir = join(root, 'data');
    oldDataFolder(dataDir);
    const config = testConfig({
      inboxes: [inbox],
      outbox,
      dataDir,
      job: { model: 'tiny.en' },
      jobs: { concurrency: 1 },
      team: { host: 'mac-1', schema: 'secrets', heartbeatSec: 10, superviseSec: 1, pollMs: 250, hostBeatSec: 2 },
    });
    const configFile = writeConfigFile(config, root);
    const url = cluster!.url(PASSWORD);
    const forms = [PASSWORD, encodeURIComponent(PASSWORD)];
    let log = '';
    child = spawn(
      process.execPath,
      [join(REPO, 'bin', 'dropscribe.js'), 'start', '--config', configFile, '--team', url],
      {
        env: { ...process.env, HF_HUB_OFFLINE: '1', DROPSCRIBE_LOG_LEVEL: 'debug' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const fail = (err: Error): never => {
      throw new Error(`${err.message}\n--- daemon log ---\n${log.slice(-4000)}`);
    };
    await waitFor('the team database connected', () => log.includes('team database connected'), 60_000).catch(fail);

    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').join(' ');
    const problems: string[] = []; // all of them at the end, so a failure shows every hole at once
    if (forms.some((f) => cmdline.includes(f))) problems.push(`the password is in the command line: ${cmdline}`);
    if (!/ start --config /.test(cmdline)) problems.push(`not the daemon's process: ${cmdline}`);
    const expect = (what: string, actual: string, wanted: string) => {
      if (actual !== wanted) problems.push(`${what} is ${actual}, not ${wanted}`);
    };

    const [clip] = makeClips(tempDir(), 1);
    renameSync(clip!, join(inbox, basename(clip!)));
    const seen = new Map<string, string>();
    await waitFor(
      'the end of the job',
      () => {
        for (const [f, m] of filesBelow(join(dataDir, 'work'))) seen.set(f, m);
        return log.includes('team job reported');
      },
      120_000,
      20,
    ).catch(fail);

    expect('the data folder', mode(dataDir), '700');
    for (const sub of ['work', 'backups']) expect(`${sub}/`, mode(join(dataDir, sub)), '700');
    for (const f of ['jobs.db', 'jobs.db-wal', 'jobs.db-shm']) expect(f, mode(join(dataDir, f)), '600');
    const backups = filesBelow(join(dataDir, 'backups'));
    assert.ok(backups.size >= 2, 'the old backup and the one made at start');
    for (const [f, m] of backups) expect(`backups/${f}`, m, '600');
    assert.ok(seen.size > 0, 'the job left work files to look at');
    for (const [f, m] of seen) expect(`work/${f}`, m, '600');

    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    if (forms.some((f) => log.includes(f))) problems.push('the password is in the log');
    assert.deepEqual(problems, []);
  });
});
