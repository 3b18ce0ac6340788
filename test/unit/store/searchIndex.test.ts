// Full-text search: words in any order, the last one as a prefix, snippets with the match marked; kept current
// when a job is done, corrected or removed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ftsQuery } from '../../../src/store/searchIndex.js';
import { addJob, keptDocument, tempStore } from '../../helpers/store.js';

test('the user words become a safe FTS5 query', () => {
  assert.equal(ftsQuery('ask not'), '"ask" "not"*');
  assert.equal(ftsQuery('" OR 1=1 --'), '"OR" "1" "1"*');
  assert.equal(ftsQuery('  ...  '), undefined);
});

test('a finished job is found with its file, time and snippet; a corrected one by its new words; a removed one no more', () => {
  const jobs = tempStore();
  const { job } = addJob(jobs, '/in/talk.wav');
  const doc = keptDocument('', {
    segments: [
      { start: 0, end: 2, text: ' And so my fellow Americans', words: [] },
      { start: 2, end: 4, text: ' ask not what your country can do', words: [] },
    ],
  });
  jobs.complete(job.id, [], [], [], doc);
  const [hit] = jobs.search.search('countr');
  assert.deepEqual(
    { ...hit },
    {
      jobId: job.id,
      relPath: 'talk.wav',
      segment: 1,
      start: 2,
      snippet: 'ask not what your \u0002country\u0003 can do',
    },
  );
  assert.equal(jobs.search.search('AMÉRICANS')[0]?.segment, 0, 'case and accents do not matter');
  assert.deepEqual(jobs.search.search('americans country'), [], 'every word in the same segment');
  jobs.search.index(job.id, [{ start: 0, text: 'ask Zanzibar' }]);
  assert.equal(jobs.search.search('country').length, 0);
  assert.equal(jobs.search.search('zanzibar').length, 1);
  jobs.db.prepare('DELETE FROM jobs WHERE id = ?').run(job.id);
  assert.equal(jobs.search.search('zanzibar').length, 0, 'removed with its job');
});
