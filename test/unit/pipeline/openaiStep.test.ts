// The transcribe step with job.backend "openai" and a scripted runner: what the request carries, retries before a
// fallback, the fallback for the windows left, a missing URL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptedPipeline } from '../../helpers/scriptedPipeline.js';

const server = (fallback: string | null = 'faster-whisper', concurrency = 1) => ({
  config: {
    backends: {
      openai: { url: 'http://gpu-box:8000/v1', model: 'large-v3', prompt: 'Okonkwo', fallback, concurrency },
    },
  },
});

test('a server request names the server; two temporary failures cost two retries with back-off and no fallback', async () => {
  const { run, runs, delays, requests } = scriptedPipeline(
    { 'transcribe:openai': ['temporary', 'temporary', 'ok'] },
    { backend: 'openai' },
    server(),
  );
  const { document, degraded } = await run();
  assert.deepEqual(
    runs().filter((r) => r.startsWith('transcribe')),
    ['transcribe:openai:failed:temporary', 'transcribe:openai:failed:temporary', 'transcribe:openai:ok:'],
  );
  assert.deepEqual(delays, [1000, 2000]);
  assert.deepEqual([document.backend, degraded], ['openai', []]);
  const sent = requests.find((r) => r.stage === 'transcribe');
  assert.deepEqual(sent?.stage === 'transcribe' && sent.server, {
    url: 'http://gpu-box:8000/v1',
    model: 'large-v3',
    timeoutSec: 600,
    prompt: 'Okonkwo',
  });
});

test('a server that stays down: the windows left go to the fallback at once, and the job says so once', async () => {
  const { run, calls } = scriptedPipeline(
    { 'transcribe:openai@0': ['ok'], 'transcribe:openai': ['temporary'] },
    { backend: 'openai', vad: true },
    { windows: 4, ...server() },
  );
  const { document, degraded } = await run();
  assert.deepEqual(
    calls.filter((c) => c.startsWith('transcribe')),
    [
      'transcribe:openai',
      'transcribe:openai',
      'transcribe:openai',
      'transcribe:openai',
      'transcribe:faster-whisper',
      'transcribe:faster-whisper',
      'transcribe:faster-whisper',
    ],
  );
  assert.equal(document.segments.length, 4);
  assert.equal(degraded.length, 1);
  assert.match(degraded[0]!, /^window 2: the openai backend failed \(temporary: .*\); fell back to faster-whisper$/);
});

test('without a fallback the job fails with the server error; without a URL the fallback says what is missing', async () => {
  const failing = scriptedPipeline({ 'transcribe:openai': ['config'] }, { backend: 'openai' }, server(null));
  await assert.rejects(failing.run(), /scripted config/);
  const unset = scriptedPipeline({}, { backend: 'openai' });
  const { document, degraded } = await unset.run();
  assert.equal(document.backend, 'faster-whisper');
  assert.match(degraded[0]!, /backends\.openai\.url is not set/);
});
