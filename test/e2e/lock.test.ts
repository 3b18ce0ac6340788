// The single-daemon lock: held by the kernel for a live holder only, never decided by a pid note; real daemons
// race for it right after a SIGKILL.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { acquireLock, describeHolder, LockError, lockHolder } from '../../src/daemon/lock.js';
import { cli, DaemonProcess, waitFor, writeConfigFile } from '../helpers/daemonProcess.js';
import { REPO, tempDir, testConfig } from '../helpers/env.js';

const LOCK_MODULE = pathToFileURL(join(REPO, 'dist', 'src', 'daemon', 'lock.js')).href;

test('a second taker is refused at once with the holder named; release frees the lock and removes the note', () => {
  const dir = join(tempDir(), 'data');
  const release = acquireLock(dir);
  const holder = lockHolder(dir);
  assert.equal(holder?.pid, process.pid);
  assert.equal(holder?.host, hostname());
  assert.ok(Date.parse(holder!.startedAt!) <= Date.now());
  assert.throws(
    () => acquireLock(dir, 0),
    (err: unknown) => {
      assert.ok(err instanceof LockError);
      assert.match(
        err.message,
        new RegExp(
          `^another dropscribe daemon \\(pid ${process.pid}\\) already uses ${dir} \\(on ${hostname()} since `,
        ),
      );
      return true;
    },
  );
  release();
  assert.equal(lockHolder(dir), undefined);
  assert.equal(existsSync(join(dir, 'daemon.pid')), false);
  acquireLock(dir, 0)();
});

test('a pid note naming an unrelated live process, or junk in the lock file, does not block', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'daemon.pid'), '1');
  assert.equal(lockHolder(dir), undefined, 'no lock file yet');
  acquireLock(dir, 0)();
  writeFileSync(
    join(dir, 'daemon.pid'),
    JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() }),
  );
  writeFileSync(join(dir, 'daemon.lock'), '1');
  assert.equal(lockHolder(dir), undefined);
  const release = acquireLock(dir, 0);
  assert.equal(lockHolder(dir)?.pid, process.pid);
  release();
});

test('asking who holds the lock creates nothing', () => {
  const dir = join(tempDir(), 'never');
  assert.equal(lockHolder(dir), undefined);
  assert.equal(existsSync(dir), false);
});

test('a holder without a readable note is still a holder', () => {
  const dir = tempDir();
  const release = acquireLock(dir);
  writeFileSync(join(dir, 'daemon.pid'), 'garbage');
  const holder = lockHolder(dir);
  assert.deepEqual(holder, { pid: null, host: null, startedAt: null });
  assert.match(describeHolder(holder!), /holder unknown/);
  assert.throws(() => acquireLock(dir, 0), /another dropscribe daemon already uses .*holder unknown/);
  release();
});

test('the kernel releases the lock when its holder is killed with SIGKILL', async (t) => {
  const dir = tempDir();
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)}); globalThis.release = acquireLock(${JSON.stringify(dir)}); console.log('held'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.after(() => child.kill('SIGKILL')); // a failed assertion must not leave the holder keeping the test run alive
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('held')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  assert.equal(lockHolder(dir)?.pid, child.pid);
  assert.throws(() => acquireLock(dir, 0), LockError);
  child.kill('SIGKILL');
  await exited;
  assert.equal(lockHolder(dir), undefined);
  assert.equal(
    JSON.parse(readFileSync(join(dir, 'daemon.pid'), 'utf8')).pid,
    child.pid,
    "the dead holder's note is still there",
  );
  acquireLock(dir, 0)();
});

// Real daemons on a config with an empty inbox: no model runs.

function daemonConfig() {
  const root = tempDir();
  const config = testConfig({
    inboxes: [join(root, 'inbox')],
    outbox: join(root, 'outbox'),
    dataDir: join(root, 'data'),
  });
  return { dataDir: config.dataDir, file: writeConfigFile(config, root) };
}

type Outcome = { running: true } | { running: false; code: number | null };

/** Start `d` and wait until it says it is running, or has exited (with all its output read). */
async function startAndSettle(d: DaemonProcess): Promise<Outcome> {
  d.start();
  let closed: number | null | undefined;
  d.child!.once('close', (code) => {
    closed = code;
  });
  return waitFor<Outcome>(
    'the daemon to run or exit',
    () => {
      if (d.output.includes('dropscribe is running')) return { running: true };
      return closed !== undefined && { running: false, code: closed };
    },
    60_000,
    50,
  );
}

async function daemonPid(configFile: string): Promise<number | null> {
  const r = await cli(['status', '--json', '--config', configFile]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { daemon: { pid: number | null } | null }).daemon?.pid ?? null;
}

test('a daemon starts although daemon.pid names a live unrelated process (pid 1, then our parent)', async () => {
  const s = daemonConfig();
  mkdirSync(s.dataDir, { recursive: true });
  for (const note of [
    '1',
    JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: new Date().toISOString() }),
  ]) {
    writeFileSync(join(s.dataDir, 'daemon.pid'), note);
    const d = new DaemonProcess(s.file);
    assert.deepEqual(await startAndSettle(d), { running: true }, d.output);
    assert.equal(await daemonPid(s.file), d.child!.pid);
    assert.equal(await d.stop(), 0);
  }
});

test('two daemons started together right after a kill -9: exactly one runs, the other exits 75 naming it', async () => {
  const s = daemonConfig();
  let holder = new DaemonProcess(s.file);
  assert.deepEqual(await startAndSettle(holder), { running: true }, holder.output);
  for (let round = 0; round < 3; round++) {
    assert.equal(await holder.stop('SIGKILL'), 'SIGKILL');
    const pair = [new DaemonProcess(s.file), new DaemonProcess(s.file)];
    const outcomes = await Promise.all(pair.map(startAndSettle));
    const winner = pair.find((_, i) => outcomes[i]!.running);
    const loserAt = outcomes.findIndex((o) => !o.running);
    assert.ok(
      winner && loserAt >= 0,
      `one runs, one exits: ${JSON.stringify(outcomes)} ${pair.map((d) => d.output).join('\n')}`,
    );
    assert.deepEqual(outcomes[loserAt], { running: false, code: 75 });
    const lines = pair[loserAt]!.output.trim().split('\n');
    assert.equal(lines.length, 1, pair[loserAt]!.output);
    assert.match(
      lines[0]!,
      new RegExp(
        `^dropscribe: another dropscribe daemon \\(pid ${winner.child!.pid}\\) already uses ${s.dataDir} \\(on .+ since .+\\)$`,
      ),
    );
    assert.equal(await daemonPid(s.file), winner.child!.pid);
    holder = winner;
  }
  assert.equal(await holder.stop(), 0);
});
