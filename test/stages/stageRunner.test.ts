import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import type { RequestFor } from '../../src/core/contract.js';
import { silentLogger } from '../../src/platform/log.js';
import { DEFAULT_PYTHON } from '../../src/platform/python/location.js';
import { StageError } from '../../src/stages/stageError.js';
import { runStage } from '../../src/stages/stageRunner.js';
import { FAKE_STAGES_PATH, tempDir } from '../helpers/env.js';

const request: RequestFor<'vad'> = {
  stage: 'vad',
  jobId: '1',
  outDir: '/tmp/x',
  heartbeatSeconds: 1,
  audio: '/tmp/a.wav',
  threshold: 0.5,
  minSilenceMs: 100,
  speechPadMs: 10,
};

/** The fixture stages, told how to behave through their environment (ours is never written). */
const fakeEnv = (behavior: string, more: Record<string, string> = {}) => ({
  PYTHONPATH: FAKE_STAGES_PATH,
  FAKE_STAGE_BEHAVIOR: behavior,
  ...more,
});

function run(
  behavior: string,
  opts: {
    stallMs?: number;
    timeoutMs?: number;
    signal?: AbortSignal;
    python?: string;
    env?: Record<string, string>;
  } = {},
) {
  return runStage({
    python: opts.python ?? DEFAULT_PYTHON,
    request,
    module: 'fake_stages',
    env: fakeEnv(behavior, opts.env),
    log: silentLogger,
    stallMs: opts.stallMs ?? 10_000,
    timeoutMs: opts.timeoutMs ?? 30_000,
    signal: opts.signal,
    context: { jobId: 1, file: '/in/talk.mp3', backend: 'silero', language: 'en', task: 'transcribe' },
  });
}

/** Gone, or a zombie waiting for a reaper (a container's init may never reap it). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

async function failure(p: Promise<unknown>): Promise<StageError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StageError, `expected StageError, got ${String(err)}`);
    return err;
  }
  assert.fail('the stage was expected to fail');
}

describe('runStage', () => {
  test('returns validated artifacts, progress and peak memory of a well-behaved stage', async () => {
    const progress: number[] = [];
    const out = await runStage({
      python: DEFAULT_PYTHON,
      request,
      module: 'fake_stages',
      env: fakeEnv('ok'),
      log: silentLogger,
      stallMs: 10_000,
      timeoutMs: 30_000,
      context: { jobId: 1, file: 'f' },
      onProgress: (f) => progress.push(f),
    });
    assert.deepEqual(out.artifacts, { segments: [{ start: 0.5, end: 1.5 }], speechSec: 1 });
    assert.equal(out.peakRssBytes, 12345678);
    assert.deepEqual(progress, [0.5]);
  });

  test('heartbeats keep a slow stage alive past the stall limit', async () => {
    const out = await run('slow-ok', { stallMs: 700 });
    assert.equal(out.peakRssBytes, 2000);
  });

  test('stray stdout output does not disturb the event channel; warnings are collected', async () => {
    const out = await run('stray-stdout');
    assert.deepEqual(out.warnings, ['careful']);
  });

  test('a segfault is classified as crashed, retryable, with the stderr tail and context in the report', async () => {
    const err = await failure(run('crash'));
    assert.equal(err.kind, 'crashed');
    assert.equal(err.retryable, true);
    assert.equal(err.context.signal, 'SIGSEGV');
    const report = err.report();
    for (const part of [
      'segmentation fault',
      '/in/talk.mp3',
      'vad',
      'silero',
      'language: en',
      'task: transcribe',
      'about to crash',
    ]) {
      assert.ok(report.includes(part), `report lacks ${part}:\n${report}`);
    }
  });

  test('a SIGKILL we did not send is classified as out of memory', async () => {
    const err = await failure(run('killed'));
    assert.equal(err.kind, 'oom');
    assert.match(err.message, /out of memory/);
  });

  test('a silent stage is killed as stalled, with its whole process group', async () => {
    const pidFile = join(tempDir(), 'child.pid');
    const started = Date.now();
    const err = await failure(run('spawn-child-hang', { stallMs: 1500, env: { FAKE_STAGE_CHILD_PID_FILE: pidFile } }));
    assert.equal(err.kind, 'stalled');
    assert.ok(Date.now() - started < 10_000);
    assert.ok(existsSync(pidFile));
    const childPid = Number(readFileSync(pidFile, 'utf8'));
    await sleep(200);
    assert.ok(isGone(childPid), 'the grandchild must be killed with the group');
  });

  test('a stage past its overall limit is killed as timeout and not retried', async () => {
    const err = await failure(run('slow-ok', { timeoutMs: 500 }));
    assert.equal(err.kind, 'timeout');
    assert.equal(err.retryable, false);
  });

  test('a line that is not JSON is garbage', async () => {
    const err = await failure(run('garbage'));
    assert.equal(err.kind, 'garbage');
    assert.match(err.message, /not JSON/);
  });

  test('[...] where an object is expected is garbage, never trusted', async () => {
    const err = await failure(run('list-result'));
    assert.equal(err.kind, 'garbage');
    assert.match(err.message, /break the contract|breaks the contract/);
  });

  test('exit 65 is bad input (permanent), exit 78 is config, exit 0 without result is garbage', async () => {
    const bad = await failure(run('bad-input'));
    assert.equal(bad.kind, 'bad-input');
    assert.equal(bad.retryable, false);
    assert.match(bad.message, /not a readable/);
    assert.equal((await failure(run('config'))).kind, 'config');
    assert.equal((await failure(run('no-result'))).kind, 'garbage');
  });

  test("the error event's retryable flag is honoured: a bug the stage marks non-retryable is not retried", async () => {
    const final = await failure(run('bug-not-retryable'));
    assert.equal(final.kind, 'bug');
    assert.equal(final.retryable, false);
    const plain = await failure(run('bug'));
    assert.equal(plain.kind, 'bug');
    assert.equal(plain.retryable, true);
  });

  test('abort kills the stage and reports canceled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('cancel'), 500);
    const err = await failure(run('hang', { signal: controller.signal }));
    assert.equal(err.kind, 'canceled');
  });

  test('a missing Python environment is a config error that says how to fix it', async () => {
    const err = await failure(run('ok', { python: '/nonexistent/python' }));
    assert.equal(err.kind, 'config');
    assert.match(err.message, /npm install/);
  });
});
