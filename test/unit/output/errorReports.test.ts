import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishErrorReport, reportRefusal } from '../../../src/output/errorReports.js';
import { silentLogger } from '../../../src/platform/log.js';
import { tempDir } from '../../helpers/env.js';
import { addJob, tempStore } from '../../helpers/store.js';

test('a failed job gets a report that names the file, says why and how to retry it', () => {
  const outbox = tempDir();
  const jobs = tempStore();
  const job = { ...addJob(jobs).job, relPath: 'talks/a.wav', outputStem: join(outbox, 'talks', 'a') };
  const [path] = publishErrorReport({ stores: jobs, job, outbox, message: 'the decode stage found no audio stream' });
  assert.equal(path, join(outbox, 'talks', 'a.error.txt'));
  assert.equal(
    readFileSync(path!, 'utf8'),
    `dropscribe could not transcribe talks/a.wav\n\nthe decode stage found no audio stream\n\nTo try again: dropscribe retry ${job.id}\n`,
  );
});

test('a refusal gets a report beside where its outputs would have gone, and the refusal records it', () => {
  const outbox = tempDir();
  const jobs = tempStore();
  const refusal = jobs.refusals.record({ path: '/in/link.wav', inbox: '/in', reason: 'the link points outside' })!;
  reportRefusal({
    refusals: jobs.refusals,
    outbox,
    refused: { refusal, relPath: 'link.wav', outputStem: join(outbox, 'link') },
    log: silentLogger,
  });
  const report = join(outbox, 'link.error.txt');
  assert.equal(jobs.refusals.list()[0]!.report, report);
  const text = readFileSync(report, 'utf8');
  assert.match(text, /^dropscribe could not transcribe link\.wav\n\nThe file was refused: the link points outside\./);
  assert.doesNotMatch(text, /retry/, 'there is no job to retry');
});

test('a refusal whose report cannot be written is still recorded, without a report', () => {
  const blocked = join(tempDir(), 'outbox');
  writeFileSync(blocked, 'a file where the outbox should be');
  const jobs = tempStore();
  const refusal = jobs.refusals.record({ path: '/in/x.wav', inbox: '/in', reason: 'a folder' })!;
  const refused = { refusal, relPath: 'x.wav', outputStem: join(blocked, 'x') };
  reportRefusal({ refusals: jobs.refusals, outbox: blocked, refused, log: silentLogger });
  assert.equal(jobs.refusals.list()[0]!.report, null);
});
