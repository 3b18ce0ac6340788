import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { RequestFor } from '../../src/contract.js';
import { silentLogger } from '../../src/platform/log.js';
import { DEFAULT_PYTHON } from '../../src/platform/paths.js';
import { StageError } from '../../src/stages/stageError.js';
import { runStage } from '../../src/stages/stageRunner.js';
import { WarmPool } from '../../src/stages/warmPool.js';
import { CORPUS, tempDir } from '../helpers/env.js';

let audio = '';
const dir = tempDir();
const pool = new WarmPool(DEFAULT_PYTHON, silentLogger, 3, 60_000);
const vad = (path: string, i: number): RequestFor<'vad'> => ({ stage: 'vad', jobId: String(i), outDir: join(dir, `v${i}`),
  heartbeatSeconds: 0.5, audio: path, threshold: 0.5, minSilenceMs: 500, speechPadMs: 100 });
const opts = (request: RequestFor<'vad'>) => ({ request, stallMs: 20_000, timeoutMs: 60_000, context: { jobId: request.jobId, file: request.audio } });

before(async () => {
  const decoded = await runStage({ python: DEFAULT_PYTHON, log: silentLogger, stallMs: 20_000, timeoutMs: 60_000,
    context: { jobId: 0, file: 'jfk' },
    request: { stage: 'decode', jobId: '0', outDir: join(dir, 'd'), heartbeatSeconds: 1, source: join(CORPUS, 'jfk.flac'), audioStream: null } });
  audio = decoded.artifacts.audio;
});
after(() => pool.close());

test('a warm worker serves requests in turn, much faster after the first, and is recycled after N', async () => {
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t = Date.now();
    const out = await pool.run('vad', opts(vad(audio, i)));
    times.push(Date.now() - t);
    assert.ok(out.artifacts.segments.length > 0);
  }
  console.log(`# warm vad request times (ms): ${times.join(', ')}`);
  assert.ok(times[1]! < times[0]! / 2 && times[2]! < times[0]! / 2, 'later requests skip the Python start and imports');
  assert.ok(times[3]! > times[2]!, 'the fourth request starts a fresh worker (recycled after 3)');
  assert.equal(pool.idleCount, 1);
});

test('a failed request retires its worker; the next request gets a fresh one', async () => {
  await assert.rejects(pool.run('vad', opts(vad(join(dir, 'missing.wav'), 10))), (err: unknown) => {
    assert.ok(err instanceof StageError);
    assert.equal(err.kind, 'temporary');
    return true;
  });
  assert.equal(pool.idleCount, 0);
  const out = await pool.run('vad', opts(vad(audio, 11)));
  assert.ok(out.artifacts.speechSec > 5);
});

test('prime starts a worker ahead of need, up to a limit, and the next request uses it', async () => {
  const primed = new WarmPool(DEFAULT_PYTHON, silentLogger, 5, 60_000);
  primed.prime('vad', 'vad', 1);
  primed.prime('vad', 'vad', 1);
  assert.equal(primed.idleCount, 1, 'the limit holds');
  await new Promise((r) => setTimeout(r, 1500)); // the worker imports its libraries meanwhile
  const t = Date.now();
  const out = await primed.run('vad', opts(vad(audio, 20)));
  const ms = Date.now() - t;
  console.log(`# first request on a primed worker: ${ms} ms`);
  assert.ok(out.artifacts.segments.length > 0);
  assert.ok(ms < 250, 'no Python start or imports left to do');
  await primed.close();
});
