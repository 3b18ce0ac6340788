// End to end with the real daemon and model: a WAV copy that stalls for 6 s (longer than the quiet period) after
// its header and first half is not transcribed half-written; one job transcribes the whole file.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { corpus, CORPUS } from '../helpers/env.js';
import { cli, startTestDaemon, waitFor } from '../helpers/daemonProcess.js';

/** The fmt chunk body and the samples of a PCM WAV. */
function pcm(file: string): { fmt: Buffer; data: Buffer } {
  const b = readFileSync(file);
  const chunks = new Map<string, Buffer>();
  for (let at = 12; at + 8 <= b.length;) {
    const len = b.readUInt32LE(at + 4);
    chunks.set(b.toString('latin1', at, at + 4), b.subarray(at + 8, at + 8 + len));
    at += 8 + len + (len & 1);
  }
  return { fmt: chunks.get('fmt ')!, data: chunks.get('data')! };
}

/** A WAV header for `dataLen` bytes of samples in format `fmt`. */
function header(fmt: Buffer, dataLen: number): Buffer {
  const h = Buffer.alloc(12 + 8 + fmt.length + 8);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(h.length - 8 + dataLen, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(fmt.length, 16);
  fmt.copy(h, 20);
  h.write('data', 20 + fmt.length, 'latin1');
  h.writeUInt32LE(dataLen, 24 + fmt.length);
  return h;
}

test('a WAV written in two parts with a 6 s stall gives one job and no partial output; the transcript has both parts', async () => {
  const first = pcm(join(CORPUS, 'en_cmu_arctic_a0024.wav'));
  const second = pcm(join(CORPUS, 'en_librispeech_1272-128104-0000.wav'));
  assert.deepEqual(first.fmt, second.fmt, 'both clips share one sample format');

  const { inbox, outbox, configFile, daemon } = await startTestDaemon({
    job: { model: 'tiny.en', speakers: 'off' },
    stability: { quietMs: 600, pollMs: 100, settleSec: 60 },
  });
  const file = join(inbox, 'stalled copy.wav');
  writeFileSync(file, Buffer.concat([header(first.fmt, first.data.length + second.data.length), first.data]));
  const stallEnds = Date.now() + 6000;
  const seenDuringStall = new Set<string>();
  while (Date.now() < stallEnds) {
    for (const f of existsSync(outbox) ? readdirSync(outbox) : []) seenDuringStall.add(f);
    await sleep(100);
  }
  const jobsDuringStall = JSON.parse((await cli(['status', '--json', '--config', configFile])).stdout)
    .jobs as unknown[];
  appendFileSync(file, second.data);

  await waitFor('outputs', () => existsSync(join(outbox, 'stalled copy.txt')), 180_000).catch(daemon.fail);
  const status = JSON.parse((await cli(['status', '--json', '--config', configFile])).stdout);
  await daemon.stop();

  assert.deepEqual([...seenDuringStall], [], 'nothing was published during the stall');
  assert.deepEqual(jobsDuringStall, [], 'no job was made of the half file');
  assert.match(daemon.output, /the file is still arriving/);
  const jobs = status.jobs as { state: string; outputs: string[] }[];
  assert.equal(jobs.length, 1, 'one job');
  assert.equal(jobs[0]!.state, 'done');
  const txt = readFileSync(join(outbox, 'stalled copy.txt'), 'utf8').toLowerCase();
  assert.match(txt, /reports from the north/, 'the first part');
  const secondWords = corpus()
    .find((c) => c.file === 'en_librispeech_1272-128104-0000.wav')!
    .reference.toLowerCase()
    .split(' ');
  const heard = ['apostle', 'middle', 'classes', 'gospel', 'welcome'].filter(
    (w) => secondWords.includes(w) && txt.includes(w),
  );
  assert.ok(heard.length >= 3, `the second part is in the transcript: ${txt}`);
  const doc = JSON.parse(readFileSync(join(outbox, 'stalled copy.json'), 'utf8'));
  const expectedSec = (first.data.length + second.data.length) / first.fmt.readUInt32LE(8);
  assert.ok(
    Math.abs(doc.durationSec - expectedSec) < 0.2,
    `the whole file was decoded: ${doc.durationSec} s of ${expectedSec} s`,
  );
});
