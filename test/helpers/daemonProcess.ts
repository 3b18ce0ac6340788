// Runs the real CLI daemon as a child process on a test config, and waits for conditions.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { Config } from '../../src/config/config.js';
import { REPO, tempDir, testConfig } from './env.js';

const BIN = join(REPO, 'bin', 'dropscribe.js');

export function writeConfigFile(config: Config, dir: string): string {
  const file = join(dir, 'dropscribe.json');
  const { python: _python, ...rest } = config;
  writeFileSync(file, JSON.stringify(rest, null, 2));
  return file;
}

/** The daemons still running, killed when the test process exits (one listener for all of them). */
const LIVE = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of LIVE) child.kill('SIGKILL');
});

export class DaemonProcess {
  child: ChildProcess | undefined;
  output = '';

  constructor(
    readonly configFile: string,
    readonly env: NodeJS.ProcessEnv = {},
    /** Node flags before the script (the agent's DAEMON_NODE_FLAGS, for memory measurements). */
    readonly nodeArgs: readonly string[] = [],
  ) {}

  start(): void {
    this.child = spawn(process.execPath, [...this.nodeArgs, BIN, 'start', '--config', this.configFile], {
      env: { ...process.env, HF_HUB_OFFLINE: '1', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    // A failed test must not hang the run on a daemon it left behind: don't keep the test process alive
    // for it, and kill it when the test process exits.
    const child = this.child;
    child.unref();
    (child.stdout as unknown as { unref(): void }).unref();
    (child.stderr as unknown as { unref(): void }).unref();
    LIVE.add(child);
    child.once('exit', () => LIVE.delete(child));
  }

  /** Rethrow `err` with the end of the daemon's log, for `.catch(daemon.fail)`. */
  fail = (err: Error): never => {
    throw new Error(`${err.message}\n--- daemon log ---\n${this.output.slice(-4000)}`);
  };

  /** Send `signal` and wait for exit; returns the exit code (or signal name). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    child.ref(); // keep the test process alive until it has exited
    const exited = new Promise<number | string | null>((resolve) =>
      child.once('exit', (code, sig) => resolve(code ?? sig)),
    );
    child.kill(signal);
    return exited;
  }
}

/** A daemon on a test config in a fresh temp root (inbox, outbox and data folders below it), not started yet. */
export interface TestDaemon {
  root: string;
  inbox: string;
  outbox: string;
  dataDir: string;
  config: Config;
  configFile: string;
  daemon: DaemonProcess;
}

export function testDaemon(overrides: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}): TestDaemon {
  const root = tempDir();
  const inbox = join(root, 'inbox');
  const outbox = join(root, 'outbox');
  const dataDir = join(root, 'data');
  const config = testConfig({ inboxes: [inbox], outbox, dataDir, ...overrides });
  const configFile = writeConfigFile(config, root);
  return { root, inbox, outbox, dataDir, config, configFile, daemon: new DaemonProcess(configFile, env) };
}

/** Start a daemon's process and wait until it has created its inbox. */
export async function startDaemon(daemon: DaemonProcess, inbox: string): Promise<void> {
  daemon.start();
  await waitFor('the inbox', () => existsSync(inbox), 30_000).catch(daemon.fail);
}

/** `testDaemon`, started, with its inbox created. */
export async function startTestDaemon(
  overrides: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<TestDaemon> {
  const t = testDaemon(overrides, env);
  await startDaemon(t.daemon, t.inbox);
  return t;
}

/** The published JSON of `stem` in the test daemon's outbox. */
export function outputDoc(t: TestDaemon, stem: string) {
  return JSON.parse(readFileSync(join(t.outbox, `${stem}.json`), 'utf8'));
}

/** Wait until every stem's JSON is published (the daemon's log in the error when not). */
export function waitForOutputs(t: TestDaemon, stems: string[], ms = 400_000): Promise<unknown> {
  return waitFor(
    `outputs of ${stems.join(', ')}`,
    () => stems.every((s) => existsSync(join(t.outbox, `${s}.json`))),
    ms,
  ).catch(t.daemon.fail);
}

/** Start the test daemon before a suite's tests and stop it after them. */
export function runForSuite(t: TestDaemon): void {
  before(() => startDaemon(t.daemon, t.inbox));
  after(async () => {
    await t.daemon.stop();
  });
}

export async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}
