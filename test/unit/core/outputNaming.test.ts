// Output naming: the plain name, then name.ext, then name.ext-<sha8>; folders kept, `/`-separated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chooseOutputStem,
  foldName,
  numberedStem,
  outputStemCandidates,
  outputStemsOf,
} from '../../../src/core/outputNaming.js';
import { FORMATS } from '../../../src/config/jobSettings.js';

test('candidates keep the folder and try the plain name, then the extension, then the hash', () => {
  assert.deepEqual(outputStemCandidates('es/talk.mp3', 'abcdef0123'), [
    'es/talk',
    'es/talk.mp3',
    'es/talk.mp3-abcdef01',
  ]);
  assert.deepEqual(outputStemCandidates('talk.wav', 'ff'), ['talk', 'talk.wav', 'talk.wav-ff']);
});

test('the first stem nobody else uses wins; with both taken, the hashed one', async () => {
  const taken = new Set(['a/talk']);
  assert.equal(await chooseOutputStem('a/talk.wav', '12345678aa', (s) => taken.has(s)), 'a/talk.wav');
  taken.add('a/talk.wav');
  assert.equal(await chooseOutputStem('a/talk.wav', '12345678aa', async (s) => taken.has(s)), 'a/talk.wav-12345678');
  assert.equal(await chooseOutputStem('b/talk.wav', '12345678aa', (s) => taken.has(s)), 'b/talk');
});

test("names are compared as a Mac's default volume compares them: case-folded and NFC-normalized", () => {
  assert.equal(foldName('Interview'), foldName('interview'));
  assert.equal(foldName('Caf\u00e9'), foldName('Cafe\u0301'), 'NFC and NFD');
  assert.equal(foldName('CAF\u00c9'), foldName('cafe\u0301'));
  assert.equal(foldName('talks/Interview'), foldName('TALKS/interview'));
  assert.notEqual(foldName('talk'), foldName('talk2'));
});

test('the next free name of a set is "name (2)", "name (3)", ... in the same folder', () => {
  assert.equal(numberedStem('talk', 1), 'talk');
  assert.equal(numberedStem('talk', 2), 'talk (2)');
  assert.equal(numberedStem('/out/talks/talk.mp3', 3), '/out/talks/talk.mp3 (3)');
});

test('a file name is an output of a stem: name.<format>, name.<language>.<format>, name.error.txt', () => {
  const bases = (name: string) => outputStemsOf(name).map(foldName).sort();
  assert.deepEqual(bases('talk.srt'), ['talk']);
  assert.deepEqual(bases('Talk.en.SRT'), ['talk', 'talk.en'].sort());
  assert.deepEqual(bases('talk.error.txt'), ['talk', 'talk.error']);
  assert.deepEqual(bases('talk.mp3.json'), ['talk.mp3']);
  assert.deepEqual(bases('talk.wav'), [], 'a recording is no output');
  assert.deepEqual(bases('notes.pdf'), []);
  for (const f of FORMATS) assert.deepEqual(bases(`a.${f}`), ['a'], `every output format counts: ${f}`);
});
