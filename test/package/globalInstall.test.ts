// Packaging tier: the tarball `npm pack` makes, installed globally into a temp prefix with a temp HOME, as a user would.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { waitFor } from '../helpers/daemonProcess.js';
import { CORPUS, FIXTURES, REPO, tempDir } from '../helpers/env.js';

const run = promisify(execFile);
const FORMATS = ['srt', 'vtt', 'txt', 'json'];
const root = tempDir('dropscribe-package-');
const prefix = join(root, 'prefix');
const home = join(root, 'home');
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** The user's environment: a temp HOME (so a temp data folder), the real pip and npm caches (the test may share them). */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, npm_config_prefix: prefix };
  for (const k of ['XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'DROPSCRIBE_CONFIG', 'npm_config_global'])
    delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('npm_lifecycle') || k.startsWith('npm_package')) delete env[k];
  env.PIP_CACHE_DIR = process.env.PIP_CACHE_DIR ?? join(homedir(), '.cache', 'pip');
  env.npm_config_cache = process.env.npm_config_cache ?? join(homedir(), '.npm');
  env.PATH = `${join(prefix, 'bin')}:${process.env.PATH}`;
  return env;
}

async function npmInstallGlobal(tarball: string): Promise<string> {
  // The flag the README documents for npm 12, which runs no install script the user has not allowed. npm matches a
  // package installed from a tarball file by that file, not by the name its package.json claims: the path is added.
  const allow = `--allow-scripts=dropscribe,better-sqlite3,${tarball}`;
  // --foreground-scripts shows the postinstall's progress (npm hides it otherwise), which the test reads.
  const args = ['install', '-g', '--no-audit', '--no-fund', '--foreground-scripts', allow, tarball];
  const { stdout, stderr } = await run('npm', args, { env: userEnv(), maxBuffer: 64 << 20, timeout: 1_200_000 });
  return stdout + stderr;
}

async function dropscribe(args: string[], cwd = root, extraEnv: NodeJS.ProcessEnv = {}) {
  try {
    const env = { ...userEnv(), ...extraEnv };
    const r = await run(join(prefix, 'bin', 'dropscribe'), args, { env, cwd, timeout: 300_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

interface Packed {
  filename: string;
  size: number;
  files: { path: string }[];
}

function envDir(): string {
  const dir = join(home, '.local', 'share', 'dropscribe', 'python');
  const envs = readdirSync(dir).filter((n) => n.startsWith('env-'));
  assert.equal(envs.length, 1, `one environment in ${dir}: ${envs.join(', ')}`);
  return join(dir, envs[0]!);
}

test('npm pack, npm install -g, then --version, doctor and start transcribe a clip; a reinstall reuses the Python environment', async (t) => {
  const { stdout: npmVersion } = await run('npm', ['--version']);
  t.diagnostic(`npm ${npmVersion.trim()}`);
  mkdirSync(home, { recursive: true });
  // The test tier runs after `npm run build`: pack what is built (prepack would build it again).
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], {
    cwd: REPO,
  });
  // npm 11 prints a list, npm 12 an object keyed by package name.
  const parsed = JSON.parse(stdout) as Packed[] | Record<string, Packed>;
  const packed = Array.isArray(parsed) ? parsed[0] : Object.values(parsed)[0];
  assert.ok(packed);
  t.diagnostic(`tarball ${packed.filename}: ${packed.files.length} files, ${packed.size} bytes`);
  assert.ok(packed.size <= 1_000_000, `the tarball packs to at most 1 MB (${packed.size})`);
  const shipped = packed.files.map((f) => f.path);
  for (const banned of [/^test\//, /^bench\//, /^\.ci\//, /^dist\/test\//, /__pycache__/, /python\/tests\//]) {
    assert.deepEqual(
      shipped.filter((p) => banned.test(p)),
      [],
      `nothing matching ${banned} is shipped`,
    );
  }
  const tarball = join(root, packed.filename);

  const firstStarted = Date.now();
  const first = await npmInstallGlobal(tarball);
  t.diagnostic(`first install: ${Math.round((Date.now() - firstStarted) / 1000)} s`);
  assert.match(first, /Python environment ready/, first);
  assert.ok(
    !existsSync(join(prefix, 'lib', 'node_modules', 'dropscribe', 'node_modules', 'typescript')),
    'no dev dependencies',
  );
  const env = envDir();
  const stamp = statSync(join(env, '.dropscribe-stamp'));

  const v = await dropscribe(['--version']);
  assert.equal(v.out.trim(), version);

  const inbox = join(root, 'inbox');
  const outbox = join(root, 'outbox');
  mkdirSync(inbox);
  mkdirSync(outbox);
  // The config a user keeps beside where they run it (./dropscribe.json): both commands find it.
  writeFileSync(join(root, 'dropscribe.json'), JSON.stringify({ inboxes: [inbox], outbox }));
  const doctor = await dropscribe(['doctor']);
  assert.equal(doctor.code, 0, doctor.out);
  assert.match(doctor.out, /ok\s+sqlite/);
  assert.match(doctor.out, new RegExp(`ok\\s+python env\\s+${env.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));

  const daemon = spawn(join(prefix, 'bin', 'dropscribe'), ['start'], {
    env: userEnv(),
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  daemon.stdout.on('data', (d: Buffer) => (log += d.toString()));
  daemon.stderr.on('data', (d: Buffer) => (log += d.toString()));
  try {
    await waitFor('the daemon to watch', () => log.includes('dropscribe is running'), 120_000);
    copyFileSync(join(CORPUS, 'jfk.flac'), join(inbox, 'jfk.flac'));
    await waitFor('the four outputs', () => FORMATS.every((f) => existsSync(join(outbox, `jfk.${f}`))), 300_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${log.slice(-3000)}`, { cause: err });
  } finally {
    daemon.kill('SIGTERM');
    await new Promise((r) => daemon.once('exit', r));
  }
  assert.match(readFileSync(join(outbox, 'jfk.txt'), 'utf8'), /ask not what your country can do for you/i);

  // The agent runs the installed binary with the Node that installed it, not a clone (fake launchctl, a Mac's layout).
  const agentEnv = {
    DROPSCRIBE_SERVICE: 'launchd',
    PATH: `${join(FIXTURES, 'bin')}:${userEnv().PATH}`,
    FAKE_LAUNCHCTL_LOG: join(home, 'launchctl.log'),
    FAKE_LAUNCHCTL_STATE: join(home, 'loaded'),
  };
  const installed = await dropscribe(['install', '--inbox', inbox, '--outbox', outbox], root, agentEnv);
  assert.equal(installed.code, 0, installed.out);
  const plist = readFileSync(join(home, 'Library', 'LaunchAgents', 'com.dropscribe.agent.plist'), 'utf8');
  assert.ok(plist.includes(join(prefix, 'lib', 'node_modules', 'dropscribe', 'bin', 'dropscribe.js')), plist);
  assert.ok(plist.includes(`<string>${process.execPath}</string>`), plist);
  const removed = await dropscribe(['uninstall'], root, agentEnv);
  assert.equal(removed.code, 0, removed.out);
  assert.equal(existsSync(join(home, 'Library', 'LaunchAgents', 'com.dropscribe.agent.plist')), false);
  assert.match(readFileSync(join(home, 'launchctl.log'), 'utf8'), /bootout/);

  const second = await npmInstallGlobal(tarball);
  assert.match(second, /Python environment is up to date/, second);
  assert.equal(envDir(), env);
  assert.equal(statSync(join(env, '.dropscribe-stamp')).mtimeMs, stamp.mtimeMs, 'the environment was not rebuilt');
});
