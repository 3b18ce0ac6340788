// The overwrite rule, as a pure decision: a set whose files are all absent, or ours and unchanged, is written in
// place; otherwise, beside a recording the job is skipped, and in the outbox the whole set takes the next free name.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeSet } from '../../../src/output/overwriteRule.js';

const free = (stem: string) => ({ stem });
const blocked = (stem: string, blocker = `${stem}.txt`) => ({ stem, blocker });

test('a set with nothing in the way is written under its own name, beside a recording or in the outbox', () => {
  for (const beside of [true, false])
    assert.deepEqual(placeSet({ beside, overwrite: false }, [free('talk'), free('talk (2)')]), {
      action: 'write',
      stem: 'talk',
    });
});

test('in the outbox a set in the way takes the first free numbered name, and says which file was in the way', () => {
  const candidates = [blocked('talk'), blocked('talk (2)', 'talk (2).srt'), free('talk (3)'), free('talk (4)')];
  assert.deepEqual(placeSet({ beside: false, overwrite: false }, candidates), {
    action: 'write',
    stem: 'talk (3)',
    movedFrom: { stem: 'talk', blocker: 'talk.txt' },
  });
});

test('beside a recording a set in the way is skipped, naming the file; a retry writes it under a free name', () => {
  const candidates = [blocked('talk'), free('talk (2)')];
  assert.deepEqual(placeSet({ beside: true, overwrite: false }, candidates), { action: 'skip', blocker: 'talk.txt' });
  assert.deepEqual(placeSet({ beside: true, overwrite: true }, candidates), {
    action: 'write',
    stem: 'talk (2)',
    movedFrom: { stem: 'talk', blocker: 'talk.txt' },
  });
});

test('candidates are looked at only until a free one is found (they are read from the disk)', () => {
  let looked = 0;
  function* candidates() {
    for (let n = 1; ; n++) {
      looked = n;
      yield n < 3 ? blocked(`talk (${n})`) : free(`talk (${n})`);
    }
  }
  assert.equal(placeSet({ beside: false, overwrite: false }, candidates()).action, 'write');
  assert.equal(looked, 3);
});

test('no free name at all is an error, never a write over', () => {
  assert.throws(() => placeSet({ beside: false, overwrite: false }, [blocked('a'), blocked('a (2)')]), /no free name/);
});
