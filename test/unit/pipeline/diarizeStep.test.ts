import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { speakersNote } from '../../../src/pipeline/diarizeStep.js';
import { listVoices } from '../../../src/pipeline/voices.js';

test('voices: Name.ext and Name/*.wav enrol people; other files and hidden ones do not', () => {
  const dir = mkdtempSync(join(tmpdir(), 'voices-'));
  writeFileSync(join(dir, 'Alice.m4a'), '');
  writeFileSync(join(dir, 'notes.txt'), '');
  writeFileSync(join(dir, '.DS_Store'), '');
  mkdirSync(join(dir, 'Bob'));
  writeFileSync(join(dir, 'Bob', 'one.wav'), '');
  writeFileSync(join(dir, 'Bob', 'two.wav'), '');
  assert.deepEqual(
    listVoices(dir).map((v) => [v.name, v.audio.slice(dir.length + 1)]),
    [
      ['Alice', 'Alice.m4a'],
      ['Bob', join('Bob', 'one.wav')],
      ['Bob', join('Bob', 'two.wav')],
    ],
  );
  assert.deepEqual(listVoices(null), []);
  assert.deepEqual(listVoices(join(dir, 'missing')), []);
});

test('the note status shows: how many speakers and, with two or more, how sure', () => {
  const speaker = (id: string) => ({ id, name: null, speechSec: 1 });
  assert.equal(speakersNote({ speakers: [speaker('S1')], confidence: 1 }), 'speakers: 1 found');
  assert.match(
    speakersNote({ speakers: [speaker('S1'), speaker('S2')], confidence: 0.0804 }),
    /^speakers: 2 found, confidence 0\.08 /,
  );
});
