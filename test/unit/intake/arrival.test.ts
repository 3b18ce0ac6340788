// "Still arriving" decisions: Finder busy copies from stat values, WAV/AIFF headers that promise more data than the
// file holds.
import assert from 'node:assert/strict';
import { appendFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Stats } from 'node:fs';
import {
  birthtimeInconclusive,
  checkIsoBoxes,
  checkMediaHeader,
  FINDER_BUSY_DATE_MS,
  finderBusyReason,
  stillArriving,
} from '../../../src/intake/arrival.js';
import { tempDir } from '../../helpers/env.js';

/** A RIFF/WAVE file start: RIFF size, fmt chunk, an odd-sized LIST chunk (padded), data chunk header. */
function wav(riffSize: number, dataSize: number, magic = 'RIFF'): Buffer {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  const list = Buffer.alloc(8 + 3 + 1);
  list.write('LIST', 0, 'latin1');
  list.writeUInt32LE(3, 4);
  const data = Buffer.alloc(8);
  data.write('data', 0, 'latin1');
  data.writeUInt32LE(dataSize, 4);
  const head = Buffer.alloc(12);
  head.write(magic, 0, 'latin1');
  head.writeUInt32LE(riffSize, 4);
  head.write('WAVE', 8, 'latin1');
  return Buffer.concat([head, fmt, list, data]);
}
const WAV_HEADER = 12 + 24 + 12 + 8;

/** An AIFF start: FORM size, COMM chunk, SSND chunk header (big-endian). */
function aiff(formSize: number, ssndSize: number): Buffer {
  const b = Buffer.alloc(12 + 26 + 8);
  b.write('FORM', 0, 'latin1');
  b.writeUInt32BE(formSize, 4);
  b.write('AIFF', 8, 'latin1');
  b.write('COMM', 12, 'latin1');
  b.writeUInt32BE(18, 16);
  b.write('SSND', 38, 'latin1');
  b.writeUInt32BE(ssndSize, 42);
  return b;
}

test('Finder busy: the 1946-02-14 08:34:56 UTC creation date or the brok file type; a normal date is not busy', () => {
  assert.equal(FINDER_BUSY_DATE_MS, -753_549_904_000);
  assert.match(finderBusyReason({ birthtimeMs: FINDER_BUSY_DATE_MS })!, /busy creation date/);
  assert.equal(finderBusyReason({ birthtimeMs: Date.UTC(2025, 5, 1) }), undefined);
  const brok = Buffer.concat([Buffer.from('brokMACS', 'latin1'), Buffer.alloc(24)]);
  assert.match(finderBusyReason({ birthtimeMs: 0 }, brok)!, /file type brok/);
  assert.equal(
    finderBusyReason({ birthtimeMs: 0 }, Buffer.concat([Buffer.from('WAVEhook', 'latin1'), Buffer.alloc(24)])),
    undefined,
  );
  assert.equal(birthtimeInconclusive({ birthtimeMs: 0 }), true, 'a volume without creation dates');
  assert.equal(birthtimeInconclusive({ birthtimeMs: FINDER_BUSY_DATE_MS }), false);
  assert.equal(birthtimeInconclusive({ birthtimeMs: Date.UTC(2025, 5, 1) }), false);
});

test('on macOS a busy Finder copy is waited for; FinderInfo is read only when the creation date cannot tell', async () => {
  const file = join(tempDir(), 'copy.wav');
  writeFileSync(file, 'x');
  const real = statSync(file);
  const reads: string[] = [];
  const reader = async (p: string) => {
    reads.push(p);
    return Buffer.from('brokMACS', 'latin1');
  };
  const opts = { os: 'darwin' as const, quietForMs: 10 ** 9, settleMs: 1000, readFinderInfo: reader };
  const at = (birthtimeMs: number) => ({ ...real, size: real.size, birthtimeMs }) as Stats;
  assert.deepEqual(await stillArriving(file, at(FINDER_BUSY_DATE_MS), opts), {
    reason: 'Finder is still copying it (busy creation date)',
    waitForever: true,
  });
  assert.equal(
    await stillArriving(file, at(Date.UTC(2025, 5, 1)), opts),
    undefined,
    'a normal creation date: no xattr read',
  );
  assert.deepEqual(reads, []);
  assert.equal((await stillArriving(file, at(0), opts))?.waitForever, true);
  assert.deepEqual(reads, [file]);
  assert.equal(
    await stillArriving(file, at(FINDER_BUSY_DATE_MS), { ...opts, os: 'linux' }),
    undefined,
    'Finder only exists on macOS',
  );
});

test('WAV headers: complete, truncated (promises more), streaming sizes (no promise), missing pad byte tolerated', () => {
  const full = 1000;
  const head = wav(WAV_HEADER - 8 + full, full);
  assert.deepEqual(checkMediaHeader(head, WAV_HEADER + full), { kind: 'complete' });
  assert.deepEqual(checkMediaHeader(head, WAV_HEADER + 400), { kind: 'short', promised: WAV_HEADER + full });
  assert.deepEqual(
    checkMediaHeader(wav(WAV_HEADER - 8 + full, full), WAV_HEADER + full - 1),
    { kind: 'complete' },
    'one byte: a missing pad',
  );
  assert.deepEqual(checkMediaHeader(wav(0, 0), WAV_HEADER + 400), { kind: 'streaming' });
  assert.deepEqual(checkMediaHeader(wav(0xffffffff, 0xffffffff), WAV_HEADER + 400), { kind: 'streaming' });
  assert.deepEqual(
    checkMediaHeader(wav(WAV_HEADER - 8 + 400, full), WAV_HEADER + 400),
    { kind: 'short', promised: WAV_HEADER + full },
    'the data chunk promises more than the RIFF size',
  );
  assert.deepEqual(
    checkMediaHeader(wav(0, full), WAV_HEADER + 400),
    { kind: 'short', promised: WAV_HEADER + full },
    'a data size is a promise even when the RIFF size is not',
  );
  assert.deepEqual(checkMediaHeader(Buffer.from('ID3\x04 an mp3 file, not RIFF'), 5000), { kind: 'unknown' });
  assert.deepEqual(checkMediaHeader(Buffer.from('RIFF'), 5000), { kind: 'unknown' });
});

test('RF64 sizes come from the ds64 chunk; AIFF headers are big-endian', () => {
  const ds64 = Buffer.alloc(8 + 28);
  ds64.write('ds64', 0, 'latin1');
  ds64.writeUInt32LE(28, 4);
  ds64.writeBigUInt64LE(5_000_000_000n, 8);
  ds64.writeBigUInt64LE(5_000_000_000n + 8n - 92n, 16); // the data chunk body starts at byte 92
  const head = Buffer.concat([
    wav(0xffffffff, 0xffffffff, 'RF64').subarray(0, 12),
    ds64,
    wav(0, 0xffffffff).subarray(12),
  ]);
  assert.deepEqual(checkMediaHeader(head, 3_000_000_000), { kind: 'short', promised: 5_000_000_008 });
  assert.deepEqual(checkMediaHeader(head, 5_000_000_008), { kind: 'complete' });

  assert.deepEqual(checkMediaHeader(aiff(38 + 500, 500), 46 + 500), { kind: 'complete' });
  assert.deepEqual(checkMediaHeader(aiff(38 + 500, 500), 46 + 100), { kind: 'short', promised: 46 + 500 });
  assert.deepEqual(checkMediaHeader(aiff(0, 0), 46 + 100), { kind: 'streaming' });
});

/** MP4 top-level boxes: [type, total length] (length 0 = "to the end"; above 2^32 uses the 64-bit size). */
function boxes(...list: [string, number][]): Buffer {
  return Buffer.concat(
    list.map(([type, len]) => {
      const large = len > 0xffffffff;
      const h = Buffer.alloc(large ? 16 : 8);
      h.writeUInt32BE(large ? 1 : len, 0);
      h.write(type, 4, 'latin1');
      if (large) h.writeBigUInt64BE(BigInt(len), 8);
      return Buffer.concat([h, Buffer.alloc(large ? 100 : Math.max(0, len - 8))]);
    }),
  );
}
const reader = (b: Buffer) => (offset: number, length: number) => b.subarray(offset, offset + length);

test('MP4/M4A/MOV boxes: an mdat cut short is a promise, a whole file is complete, size 0 runs to the end', () => {
  const m4a = boxes(['ftyp', 24], ['mdat', 4000], ['moov', 600]);
  assert.deepEqual(checkIsoBoxes(reader(m4a), m4a.length), { kind: 'complete' });
  const half = m4a.subarray(0, 2000);
  assert.deepEqual(
    checkIsoBoxes(reader(half), half.length),
    { kind: 'short', promised: 24 + 4000 },
    'Finder copy half way: moov still missing',
  );
  const cutHeader = m4a.subarray(0, 24 + 4000 + 5);
  assert.deepEqual(checkIsoBoxes(reader(cutHeader), cutHeader.length), { kind: 'short', promised: 24 + 4000 + 8 });
  const recording = boxes(['ftyp', 24], ['mdat', 0]);
  assert.deepEqual(checkIsoBoxes(reader(recording), recording.length + 5000), { kind: 'streaming' });
  const large = boxes(['ftyp', 24], ['mdat', 5_000_000_000]);
  assert.deepEqual(checkIsoBoxes(reader(large), 3_000_000_000), { kind: 'short', promised: 24 + 5_000_000_000 });
  const mp3 = Buffer.from('ID3\x04\x00 not boxes at all, just an mp3');
  assert.deepEqual(checkIsoBoxes(reader(mp3), mp3.length), { kind: 'unknown' });
});

test('a real WAV whose header promises more is arriving until it is whole, or until it stayed unchanged for the settle time', async () => {
  const file = join(tempDir(), 'rec.wav');
  writeFileSync(file, Buffer.concat([wav(WAV_HEADER - 8 + 2000, 2000), Buffer.alloc(500)]));
  const opts = { os: 'linux' as const, quietForMs: 5000, settleMs: 180_000 };
  const arriving = await stillArriving(file, statSync(file), opts);
  assert.equal(arriving?.waitForever, false);
  assert.match(arriving!.reason, new RegExp(`promises ${WAV_HEADER + 2000} bytes and it holds ${WAV_HEADER + 500}`));
  assert.equal(
    await stillArriving(file, statSync(file), { ...opts, quietForMs: 180_000 }),
    undefined,
    'a recorder that crashed: taken after the settle time',
  );
  appendFileSync(file, Buffer.alloc(1500));
  assert.equal(await stillArriving(file, statSync(file), opts), undefined);
});
