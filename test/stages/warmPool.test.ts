import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { RequestFor } from '../../src/core/contract.js';
import { silentLogger } from '../../src/platform/log.js';
import { DEFAULT_PYTHON } from '../../src/platform/python/location.js';
import { StageError } from '../../src/stages/stageError.js';
import { runStage } from '../../src/stages/stageRunner.js';
import { WarmPool } from '../../src/stages/warmPool.js';
import { CORPUS, tempDir } from '../helpers/env.js';

let audio = '';
const dir = tempDir();
const pool = new WarmPool({ python: DEFAULT_PYTHON, log: silentLogger, recycleAfter: 3, idleMs: 60_000 });
const vad = (path: string, i: number): RequestFor<'vad'> => ({
  stage: 'vad',
  jobId: String(i),
  outDir: join(dir, `v${i}`),
  heartbeatSeconds: 0.5,
  audio: path,
  threshold: 0.5,
  minSilenceMs: 500,
  speechPadMs: 100,
});
const opts = (request: RequestFor<'vad'>) => ({
  request,
  stallMs: 20_000,
  timeoutMs: 60_000,
  context: { jobId: request.jobId, file: request.audio },
});

before(async () => {
  const decoded = await runStage({
    python: DEFAULT_PYTHON,
    log: silentLogger,
    stallMs: 20_000,
    timeoutMs: 60_000,
    context: { jobId: 0, file: 'jfk' },
    request: {
      stage: 'decode',
      jobId: '0',
      outDir: join(dir, 'd'),
      heartbeatSeconds: 1,
      source: join(CORPUS, 'jfk.flac'),
      audioStream: null,
    },
  });
  audio = decoded.artifacts.audio;
});
after(() => pool.close());

test('a warm worker serves requests in turn and is recycled after N', async () => {
  const before = pool.workersStarted;
  for (let i = 0; i < 3; i++) {
    const out = await pool.run('vad', opts(vad(audio, i)));
    assert.ok(out.artifacts.segments.length > 0);
    assert.equal(pool.workersStarted, before + 1, `request ${i + 1} is served by the first worker`);
  }
  assert.equal(pool.idleCount, 0, 'the worker is retired after 3 requests');
  await pool.run('vad', opts(vad(audio, 3)));
  assert.equal(pool.workersStarted, before + 2, 'the fourth request starts a fresh worker');
  assert.equal(pool.idleCount, 1);
});

test('an idle warm worker is quiet: it sends heartbeats only while it has a request', async () => {
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
  const quiet = new WarmPool({ python: DEFAULT_PYTHON, log, recycleAfter: 5, idleMs: 60_000 });
  try {
    await quiet.run('vad', opts({ ...vad(audio, 20), heartbeatSeconds: 0.1 }));
    lines.length = 0;
    await sleep(1000); // ten heartbeat periods with nothing to do
    assert.deepEqual(
      lines.filter((l) => l.includes('idle stage process')),
      [],
    );
    assert.equal(quiet.idleCount, 1, 'the worker is still there, waiting');
  } finally {
    quiet.close();
  }
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
  const primed = new WarmPool({ python: DEFAULT_PYTHON, log: silentLogger, recycleAfter: 5, idleMs: 60_000 });
  primed.prime('vad', 'vad', 1);
  primed.prime('vad', 'vad', 1);
  assert.equal(primed.idleCount, 1, 'the limit holds');
  assert.equal(primed.workersStarted, 1);
  const out = await primed.run('vad', opts(vad(audio, 20)));
  assert.ok(out.artifacts.segments.length > 0);
  assert.equal(primed.workersStarted, 1, 'the request ran on the primed worker');
  assert.equal(primed.idleCount, 1, 'and gave it back');
  await primed.close();
});
