// After `dropscribe install` (fake launchctl/systemctl, HOME in a temp folder), status, enqueue and start run
// from any other folder find the installed agent's config and database, and create nothing where they run.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, DaemonProcess, waitFor } from '../helpers/daemonProcess.js';
import { CORPUS, tempDir } from '../helpers/env.js';
import { fakeServiceEnv } from '../helpers/fakeService.js';
import { inFolder } from '../helpers/folder.js';

interface StatusJson {
  config: { file: string | null; source: string };
  database: { file: string; exists: boolean };
  daemon: { pid: number | null } | null;
  jobs: { input: string; state: string }[];
}

/** The installed agent's commands must find its config by the platform's layout alone. */
function fakeAgentEnv(kind: 'launchd' | 'systemd') {
  const { home, env } = fakeServiceEnv(kind, { DROPSCRIBE_CONFIG: '', XDG_DATA_HOME: '', XDG_STATE_HOME: '' });
  return { home, env: env as NodeJS.ProcessEnv };
}

async function status(env: NodeJS.ProcessEnv): Promise<StatusJson> {
  const r = await cli(['status', '--json'], env);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as StatusJson;
}

/** Status names the installed config and a database that does not exist yet. */
async function assertInstalledWithoutDatabase(env: NodeJS.ProcessEnv, installed: string, dbFile: string) {
  const empty = await status(env);
  assert.deepEqual(
    [empty.config, empty.database],
    [
      { file: installed, source: 'installed' },
      { file: dbFile, exists: false },
    ],
  );
}

async function install(env: NodeJS.ProcessEnv, inbox: string, outbox: string) {
  const r = await cli(['install', '--inbox', inbox, '--outbox', outbox], env);
  assert.equal(r.code, 0, r.stderr);
}

test("macOS layout: status, start and enqueue from another folder reach the installed daemon's database", async () => {
  const { home, env } = fakeAgentEnv('launchd');
  const support = join(home, 'Library', 'Application Support', 'dropscribe');
  const installed = join(support, 'config.json');
  const dbFile = join(support, 'jobs.db');
  const inbox = join(home, 'in');
  await install(env, inbox, join(home, 'out'));
  const elsewhere = tempDir();
  await inFolder(elsewhere, async () => {
    await assertInstalledWithoutDatabase(env, installed, dbFile);
    const text = await cli(['status'], env);
    assert.equal(
      text.stdout,
      `config: ${installed} (the installed agent)\ndatabase: ${dbFile}\nno jobs yet; database ${dbFile} does not exist\n`,
    );
    assert.equal(existsSync(dbFile), false, 'status created no database');

    const agent = new DaemonProcess(installed, env); // what launchd runs: start --config <installed>
    agent.start();
    await waitFor(
      'the agent to hold its data folder',
      async () => (await status(env)).daemon?.pid === agent.child!.pid,
      60_000,
    ).catch((err: Error) => {
      throw new Error(`${err.message}; the daemon said:\n${agent.output}`);
    });
    const human = await cli(['status'], env);
    assert.match(
      human.stdout,
      new RegExp(
        `^config: ${installed} \\(the installed agent\\)\\ndatabase: ${dbFile}\\ndaemon: running \\(pid ${agent.child!.pid}\\)`,
      ),
    );
    const second = await cli(['start'], env); // no --config: the same lookup finds the agent's config
    assert.equal(second.code, 75, second.stderr);
    assert.match(
      second.stderr,
      new RegExp(`another dropscribe daemon \\(pid ${agent.child!.pid}\\) already uses ${support}`),
    );
    assert.equal(await agent.stop(), 0);

    mkdirSync(inbox, { recursive: true });
    copyFileSync(join(CORPUS, 'jfk.flac'), join(inbox, 'talk.flac'));
    const queued = await cli(['enqueue', join(inbox, 'talk.flac')], env);
    assert.equal(queued.code, 0, queued.stderr);
    assert.match(queued.stdout, /^queued\t/);
    const after = await status(env);
    assert.deepEqual(after.database, { file: dbFile, exists: true });
    assert.deepEqual(
      after.jobs.map((j) => [j.input, j.state]),
      [[join(inbox, 'talk.flac'), 'queued']],
    );
  });
  assert.deepEqual(readdirSync(elsewhere), [], 'nothing was created in the folder the commands ran from');
});

test("Linux layout: the XDG folders are used, status creates no data folder, enqueue creates the agent's", async () => {
  const { home, env } = fakeAgentEnv('systemd');
  Object.assign(env, { XDG_CONFIG_HOME: join(home, 'cfg'), XDG_DATA_HOME: join(home, 'share') });
  const installed = join(home, 'cfg', 'dropscribe', 'config.json');
  const dataDir = join(home, 'share', 'dropscribe');
  const inbox = join(home, 'in');
  await install(env, inbox, join(home, 'out'));
  const elsewhere = tempDir();
  await inFolder(elsewhere, async () => {
    await assertInstalledWithoutDatabase(env, installed, join(dataDir, 'jobs.db'));
    assert.equal(existsSync(dataDir), false, 'status created no data folder');
    assert.equal((await cli(['cancel', '1'], env)).code, 1);
    assert.equal(existsSync(dataDir), false, 'cancel created no data folder');

    mkdirSync(inbox, { recursive: true });
    copyFileSync(join(CORPUS, 'jfk.flac'), join(inbox, 'talk.flac'));
    const queued = await cli(['enqueue', join(inbox, 'talk.flac')], env);
    assert.equal(queued.code, 0, queued.stderr);
    assert.deepEqual(
      (await status(env)).jobs.map((j) => j.state),
      ['queued'],
    );
    assert.ok(existsSync(join(dataDir, 'jobs.db')));
  });
  assert.deepEqual(readdirSync(elsewhere), []);

  // Earlier sources still win over the installed config: ./dropscribe.json, then DROPSCRIBE_CONFIG.
  const project = tempDir();
  writeFileSync(join(project, 'dropscribe.json'), JSON.stringify({ dataDir: 'data' }));
  await inFolder(project, async () => {
    assert.deepEqual((await status(env)).config, { file: join(project, 'dropscribe.json'), source: 'local' });
    const other = join(tempDir(), 'other.json');
    writeFileSync(other, '{}');
    assert.deepEqual((await status({ ...env, DROPSCRIBE_CONFIG: other })).config, { file: other, source: 'env' });
  });
});
