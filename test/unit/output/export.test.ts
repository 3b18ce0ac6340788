// exportJobs into a folder of the user's choice (`dropscribe export --to DIR`) goes through the one publisher: a file
// dropscribe did not write there, or one edited since, is never written over; the set takes the next free name.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { exportJobs } from '../../../src/output/export.js';
import { tempDir } from '../../helpers/env.js';
import { finishedJobsFixture } from '../../e2e/exportFixture.js';

test('--to never writes over a file it did not write, nor one edited since; its own unchanged files it replaces', () => {
  const f = finishedJobsFixture(1);
  const to = tempDir('dropscribe-export-to-');
  mkdirSync(join(to, 'interviews'));
  const theirs = join(to, 'interviews', 'talk-1.srt');
  writeFileSync(theirs, 'my own subtitles\n');
  const request = { jobs: [f.ids[0]!], formats: ['srt' as const, 'txt' as const], to };

  const first = exportJobs(f.config, f.jobs, request);
  assert.equal(readFileSync(theirs, 'utf8'), 'my own subtitles\n', 'a file of the user is kept');
  assert.deepEqual(first, [
    {
      job: f.ids[0],
      written: [join(to, 'interviews', 'talk-1 (2).srt'), join(to, 'interviews', 'talk-1 (2).txt')],
      note:
        `talk-1.srt in ${to} was not written by dropscribe or was changed since: it is kept as it is, and these ` +
        'outputs are named talk-1 (2).*',
    },
  ]);

  const again = exportJobs(f.config, f.jobs, request);
  assert.deepEqual(again, first, 'its own unchanged files are written over in place');

  const edited = join(to, 'interviews', 'talk-1 (2).txt');
  writeFileSync(edited, 'edited by hand\n');
  const third = exportJobs(f.config, f.jobs, request);
  assert.equal(readFileSync(edited, 'utf8'), 'edited by hand\n', 'an edited file is kept');
  assert.ok('written' in third[0]! && third[0].written.every((p) => p.includes('talk-1 (3).')), JSON.stringify(third));
});
