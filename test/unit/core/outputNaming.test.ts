// Output naming: the plain name, then name.ext, then name.ext-<sha8>; folders kept, `/`-separated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseOutputStem, outputStemCandidates } from '../../../src/core/outputNaming.js';

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
