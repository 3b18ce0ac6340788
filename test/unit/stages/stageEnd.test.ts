// How a stage process's end becomes the request's outcome or a classified StageError, without starting a process.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StageName } from '../../../src/core/contract.js';
import { endFromExit, stageFailure, type Pending } from '../../../src/stages/stageEnd.js';
import { StageError } from '../../../src/stages/stageError.js';
import type { RequestOptions } from '../../../src/stages/stageRunner.js';
import { AwakeClock, RequestWatch } from '../../../src/stages/watchdog.js';

function pending(over: Partial<Pending> = {}): Pending {
  return {
    stage: 'decode',
    options: { context: { jobId: 7, file: 'a.wav' }, stallMs: 1000, timeoutMs: 1000 } as RequestOptions<StageName>,
    started: Date.now(),
    warnings: ['w'],
    peakRss: 300,
    watch: new RequestWatch(new AwakeClock(), 1000, 1000),
    settle: () => {},
    ...over,
  };
}

const error = (end: unknown): StageError => {
  assert.ok(end instanceof StageError, `expected a StageError, got ${JSON.stringify(end)}`);
  return end;
};

test('exit 0 with a result is the outcome with the highest peak seen; without a result it is garbage', () => {
  const ok = endFromExit(
    pending({ result: { artifacts: { wav: 'a' }, peakRssBytes: 200 } }),
    { exitCode: 0, signal: undefined },
    '',
  );
  assert.ok(!(ok instanceof StageError));
  assert.deepEqual([ok.artifacts, ok.peakRssBytes, ok.warnings], [{ wav: 'a' }, 300, ['w']]);
  const none = error(endFromExit(pending(), { exitCode: 0, signal: undefined }, 'tail'));
  assert.deepEqual([none.kind, none.message], ['garbage', 'the decode stage exited without reporting a result']);
});

test('a kill of ours wins over the signal it caused; a signal we did not send is a crash or out of memory', () => {
  const killed = pending({ killedFor: { kind: 'stalled', message: 'sent no heartbeat for 1 s and was stopped' } });
  const stalled = error(endFromExit(killed, { exitCode: undefined, signal: 'SIGKILL' }, ''));
  assert.deepEqual([stalled.kind, stalled.context.signal], ['stalled', 'SIGKILL']);
  const segv = error(endFromExit(pending(), { exitCode: undefined, signal: 'SIGSEGV' }, 'boom'));
  assert.deepEqual([segv.kind, segv.context.stderrTail, segv.context.jobId], ['crashed', 'boom', 7]);
  assert.match(segv.message, /segmentation fault/);
  assert.equal(error(endFromExit(pending(), { exitCode: undefined, signal: 'SIGKILL' }, '')).kind, 'oom');
});

test("an exit status takes the stage's error event: its message, its code's kind and its retryable flag", () => {
  const errorEvent = { code: 'temporary', message: 'disk busy', retryable: false };
  const e = error(endFromExit(pending({ errorEvent }), { exitCode: 75, signal: undefined }, ''));
  assert.deepEqual([e.kind, e.message, e.retryable, e.context.exitCode], ['temporary', 'disk busy', false, 75]);
  const bare = error(endFromExit(pending(), { exitCode: 3, signal: undefined }, ''));
  assert.deepEqual([bare.kind, bare.message, bare.retryable], ['bug', 'the decode stage exited with status 3', true]);
});

test('a process that could not start is a config problem', () => {
  const e = error(endFromExit(pending(), { exitCode: undefined, signal: undefined, startError: 'ENOENT' }, ''));
  assert.deepEqual([e.kind, e.message], ['config', 'could not start the Python stage (ENOENT)']);
});

test('a failure carries the request’s job and file, its stage, the tail and how the process ended', () => {
  const e = stageFailure(pending(), {
    kind: 'temporary',
    message: 'busy',
    stderrTail: 'tail',
    exit: { exitCode: 75, signal: undefined },
    retryable: false,
  });
  assert.deepEqual(
    [e.context.jobId, e.context.file, e.context.stage, e.context.stderrTail, e.context.exitCode, e.retryable],
    [7, 'a.wav', 'decode', 'tail', 75, false],
  );
  const warm = stageFailure(pending(), { kind: 'bug', message: 'x', stderrTail: '' });
  assert.deepEqual([warm.context.exitCode, warm.context.signal], [null, null], 'a warm worker did not exit');
});
