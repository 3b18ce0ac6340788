// Window scheduling with a scripted runner (no processes): fallback per window, missing ranges, prompts, the
// language of the first window, parallel workers, and the join.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Transcript, type Segment, type Window } from '../../../src/core/contract.js';
import {
  joinWindows,
  splitThreads,
  promptFrom,
  transcribeWindows,
  type TranscribeArtifacts,
  type WindowRequest,
  type WindowRunner,
} from '../../../src/pipeline/windows.js';
import { StageError } from '../../../src/stages/stageError.js';

const windows: Window[] = [0, 1, 2, 3, 4].map((i) => ({
  index: i,
  start: i * 100,
  end: i * 100 + 90,
  speechSec: 80,
  firstSpan: i,
  spanCount: 1,
}));
const seg = (start: number, text: string): Segment => ({ start, end: start + 5, text, words: [] });
const crash = (w: Window) =>
  new StageError('crashed', `window ${w.index} died`, { jobId: 1, file: 'f', stage: 'transcribe', elapsedMs: 1 });

/** A runner that answers from `script` and records what it was asked; transcripts live in memory by path. */
function scripted(script: (r: WindowRequest) => Promise<void> | void, detect = 'en') {
  const calls: WindowRequest[] = [];
  const files = new Map<string, Transcript>();
  const runner: WindowRunner = {
    async run(r) {
      calls.push(r);
      await script(r);
      const path = `t${r.window.index}`;
      files.set(path, { segments: [seg(r.window.start, `words of window ${r.window.index}`)], suppressed: [] });
      return {
        transcript: path,
        language: detect,
        languageProbability: 0.9,
        durationSec: 500,
        backend: r.backend,
        model: 'm',
        segmentCount: 1,
      };
    },
    read: (a: TranscribeArtifacts) => files.get(a.transcript)!,
  };
  return { calls, runner };
}

test('a window that fails on every backend is missing; the others are kept in order', async () => {
  const { runner, calls } = scripted((r) => {
    if (r.window.index === 2) throw crash(r.window);
  });
  const results = await transcribeWindows(
    windows,
    { chain: ['mlx', 'faster-whisper'], language: null, workers: 1, prompt: false },
    runner,
  );
  assert.deepEqual(
    calls.filter((c) => c.window.index === 2).map((c) => c.backend),
    ['mlx', 'faster-whisper'],
  );
  const joined = joinWindows(results, runner.read);
  assert.deepEqual(joined.missing, [{ start: 200, end: 290, reason: 'crashed: window 2 died' }]);
  const file = Transcript.parse(JSON.parse(joined.text));
  assert.deepEqual(
    file.segments.map((s) => s.text),
    [0, 1, 3, 4].map((i) => `words of window ${i}`),
  );
  assert.equal(joined.segmentCount, 4);
  assert.deepEqual(file.missing, joined.missing);
});

test('when every window fails the error is thrown; bad input is thrown at once', async () => {
  await assert.rejects(
    transcribeWindows(
      windows,
      { chain: ['faster-whisper'], language: null, workers: 1, prompt: false },
      scripted((r) => {
        throw crash(r.window);
      }).runner,
    ),
    /window 4 died/,
  );
  const bad = scripted(() => {
    throw new StageError('bad-input', 'unreadable', { jobId: 1, file: 'f', stage: 'transcribe', elapsedMs: 1 });
  });
  await assert.rejects(
    transcribeWindows(
      windows,
      { chain: ['mlx', 'faster-whisper'], language: null, workers: 1, prompt: false },
      bad.runner,
    ),
    /unreadable/,
  );
  assert.equal(bad.calls.length, 1);
});

test('one at a time: the first window detects the language, each next one gets it and the previous words as prompt', async () => {
  const { runner, calls } = scripted(() => {}, 'de');
  await transcribeWindows(windows, { chain: ['faster-whisper'], language: null, workers: 1, prompt: true }, runner);
  assert.deepEqual(
    calls.map((c) => c.language),
    [null, 'de', 'de', 'de', 'de'],
  );
  assert.deepEqual(
    calls.map((c) => c.initialPrompt),
    [null, ...[0, 1, 2, 3].map((i) => `words of window ${i}`)],
  );
});

test('parallel workers run that many windows at a time and no more', async () => {
  let inFlight = 0;
  let most = 0;
  const { runner, calls } = scripted(async () => {
    most = Math.max(most, ++inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight--;
  });
  const results = await transcribeWindows(
    windows,
    { chain: ['faster-whisper'], language: 'en', workers: 2, prompt: false },
    runner,
  );
  assert.equal(most, 2);
  assert.deepEqual(calls.map((c) => c.window.index).sort(), [0, 1, 2, 3, 4]);
  assert.deepEqual(
    results.map((r) => r.window.index),
    [0, 1, 2, 3, 4],
    'results stay in window order',
  );
});

test('the prompt is the last words of a window', () => {
  assert.equal(promptFrom([seg(0, ' one two '), seg(5, 'three four five')], 3), 'three four five');
  assert.equal(promptFrom([seg(0, '  ')]), null);
});

test('parallel windows get one worker per core at most and the cores shared out', () => {
  assert.deepEqual(splitThreads(2, 2, 0), { workers: 2, cpuThreads: 1 });
  assert.deepEqual(splitThreads(2, 8, 0), { workers: 2, cpuThreads: 4 });
  assert.deepEqual(splitThreads(3, 8, 0), { workers: 3, cpuThreads: 2 });
  assert.deepEqual(
    splitThreads(2, 1, 0),
    { workers: 1, cpuThreads: 0 },
    'one core: one worker with the configured threads',
  );
  assert.deepEqual(splitThreads(1, 8, 6), { workers: 1, cpuThreads: 6 });
});

test('a server that failed a window is not asked for the windows that are left; a local failure is', async () => {
  const down = (w: Window) =>
    new StageError('temporary', `cannot reach the server (window ${w.index})`, {
      jobId: 1,
      file: 'f',
      stage: 'transcribe',
      elapsedMs: 1,
    });
  const { runner, calls } = scripted((r) => {
    if (r.backend === 'openai' && r.window.index >= 1) throw down(r.window);
  });
  const fellBack: number[] = [];
  const results = await transcribeWindows(
    windows,
    { chain: ['openai', 'faster-whisper'], language: null, workers: 1, prompt: false },
    { ...runner, fellBack: ({ window }) => fellBack.push(window.index) },
  );
  assert.deepEqual(
    calls.map((c) => `${c.window.index}:${c.backend}`),
    ['0:openai', '1:openai', '1:faster-whisper', '2:faster-whisper', '3:faster-whisper', '4:faster-whisper'],
  );
  assert.deepEqual(fellBack, [1], 'the fallback is reported once, for the window the server failed');
  assert.deepEqual(
    results.map((r) => r.backend),
    ['openai', 'faster-whisper', 'faster-whisper', 'faster-whisper', 'faster-whisper'],
  );
});

test('with no fallback a server that is down is still asked for every window', async () => {
  const { runner, calls } = scripted((r) => {
    if (r.window.index === 1) throw crash(r.window);
  });
  const results = await transcribeWindows(
    windows,
    { chain: ['openai'], language: null, workers: 1, prompt: false },
    runner,
  );
  assert.equal(calls.length, 5);
  assert.deepEqual(
    results.map((r) => (r.error ? 'missing' : r.backend)),
    ['openai', 'missing', 'openai', 'openai', 'openai'],
  );
});
