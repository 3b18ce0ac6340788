// The daemon's node flags are stated once: `npm start` runs with exactly DAEMON_NODE_FLAGS, and a `dropscribe start`
// without them (the global bin, npx, a clone's `node bin/dropscribe.js start`) ends up in the same process with them.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DAEMON_NODE_FLAGS, missingDaemonFlags, NODE_FLAGS_ENV } from '../../../src/platform/nodeFlags.js';
import { PACKAGE_ROOT } from '../../../src/platform/paths.js';
import { waitFor } from '../../helpers/daemonProcess.js';
import { tempDir } from '../../helpers/env.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'dropscribe.js');
const CAN_EXECVE = typeof (process as { execve?: unknown }).execve === 'function';
/** Preloaded into every Node the bin runs as: one line per process on stderr, its pid and execArgv. */
const REPORT = `--import=data:text/javascript,process.stderr.write('node '+JSON.stringify({pid:process.pid,execArgv:process.execArgv})+'\\n')`;

interface Started {
  pid: number;
  execArgv: string[];
}

/** Run the bin (`node <nodeArgs> bin/dropscribe.js <args>`), waiting for its exit: each Node it ran as, its code. */
function runBin(nodeArgs: string[], args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [REPORT, ...nodeArgs, BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, [NODE_FLAGS_ENV]: env[NODE_FLAGS_ENV] },
  });
  const nodes = r.stderr
    .split('\n')
    .filter((l) => l.startsWith('node '))
    .map((l) => JSON.parse(l.slice(5)) as Started);
  return { nodes, pid: r.pid, code: r.status, stderr: r.stderr };
}

test('npm start runs the daemon with DAEMON_NODE_FLAGS', () => {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  assert.equal(pkg.scripts.start, `node ${DAEMON_NODE_FLAGS.join(' ')} bin/dropscribe.js start`);
});

test('missingDaemonFlags: the flags not given; a flag given with another value is the user’s choice', () => {
  assert.deepEqual(missingDaemonFlags([]), DAEMON_NODE_FLAGS);
  assert.deepEqual(missingDaemonFlags([...DAEMON_NODE_FLAGS]), []);
  assert.deepEqual(missingDaemonFlags(['--max-semi-space-size=16', '--inspect']), ['--lite-mode']);
});

test('start without the flags runs again in the same pid with them, its argv and exit code kept', (t) => {
  if (!CAN_EXECVE) return t.skip('this Node has no process.execve');
  const missing = join(tempDir(), 'missing.json');
  const r = runBin([], ['start', '--config', missing]);
  assert.equal(r.nodes.length, 2, r.stderr);
  assert.deepEqual(
    r.nodes.map((n) => n.pid),
    [r.pid, r.pid],
    'execve: the pid a shell or launchd watches',
  );
  assert.deepEqual(r.nodes[1]!.execArgv, [REPORT, ...DAEMON_NODE_FLAGS]);
  assert.match(r.stderr, new RegExp(`dropscribe: .*${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.equal(r.code, 78, 'the configuration error’s exit code reaches the caller');
});

test('no second start: with the flags given, after a restart (the marker), or for another command', (t) => {
  if (!CAN_EXECVE) return t.skip('this Node has no process.execve');
  const missing = join(tempDir(), 'missing.json');
  const given = runBin([...DAEMON_NODE_FLAGS], ['start', '--config', missing]);
  assert.deepEqual(given.nodes.length, 1, given.stderr);
  const marked = runBin([], ['start', '--config', missing], { [NODE_FLAGS_ENV]: '1' });
  assert.deepEqual(marked.nodes.length, 1, marked.stderr);
  const own = runBin(['--max-semi-space-size=16'], ['start', '--config', missing]);
  assert.deepEqual(own.nodes.at(-1)!.execArgv, [REPORT, '--max-semi-space-size=16', '--lite-mode']);
  const status = runBin([], ['--version']);
  assert.deepEqual(status.nodes.length, 1, status.stderr);
  assert.equal(status.code, 0);
});

test('a daemon started as `node bin/dropscribe.js start` runs with the flags, same pid; SIGTERM stops it with 0', async (t) => {
  if (!CAN_EXECVE || !existsSync('/proc/self/cmdline')) return t.skip('needs process.execve and /proc');
  const root = tempDir();
  const config = join(root, 'dropscribe.json');
  // python named: the daemon takes it as it is and does not check (or rebuild) the stage environment first.
  const python = join(PACKAGE_ROOT, 'python', '.venv', 'bin', 'python');
  const settings = { inboxes: ['inbox'], outbox: 'outbox', dataDir: 'data', ui: { enabled: false }, python };
  writeFileSync(config, JSON.stringify(settings));
  const env: NodeJS.ProcessEnv = { ...process.env, HF_HUB_OFFLINE: '1' };
  delete env[NODE_FLAGS_ENV];
  const child = spawn(process.execPath, [BIN, 'start', '--config', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitFor('the daemon to run', () => log.includes('dropscribe is running'), 60_000);
    const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    assert.deepEqual(cmdline.slice(1), [...DAEMON_NODE_FLAGS, BIN, 'start', '--config', config]);
    const environ = readFileSync(`/proc/${child.pid}/environ`, 'utf8');
    assert.ok(environ.includes(`${NODE_FLAGS_ENV}=1`), 'the marker that stops a second restart');
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${log.slice(-2000)}`, { cause: err });
  }
  child.kill('SIGTERM');
  assert.equal(await exited, 0, log.slice(-2000));
});
