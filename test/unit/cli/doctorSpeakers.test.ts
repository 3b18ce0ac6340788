import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSpeakerModel } from '../../../src/cli/doctorSpeakers.js';

const good = {
  path: '/venv/resemblyzer/pretrained.pt',
  sha256Ok: true,
  converted: '/models/speaker-encoder.npz',
  convertedPresent: true,
  error: null,
};

test('the speaker model: path, sha256 ok and the converted form', () => {
  const check = checkSpeakerModel(good);
  assert.equal(check.ok, true);
  assert.match(check.detail, /pretrained\.pt \(sha256 ok\), converted at \/models\/speaker-encoder\.npz/);
});

test('a wrong sha256, a missing npz or no package: optional, jobs get no speakers, and the fix', () => {
  for (const r of [
    { ...good, sha256Ok: false },
    { ...good, convertedPresent: false },
    { ...good, path: null, error: 'the speaker model (package resemblyzer) is not installed' },
    undefined,
  ]) {
    const check = checkSpeakerModel(r);
    assert.equal(check.ok, false);
    assert.equal(check.optional, true);
    assert.match(check.fix!, /npm install/);
  }
  assert.match(checkSpeakerModel({ ...good, sha256Ok: false }).detail, /sha256 WRONG.*no speakers/);
});
