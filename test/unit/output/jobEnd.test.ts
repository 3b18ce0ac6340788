// A job's end as one pure decision: each branch for a finished run (changed, renamed, gone, skipped beside, corrections
// kept, published) and for a duplicate (promoted, handed over, canceled, failed, original retried, skipped, published).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHANGED_REASON, GONE_NOTE } from '../../../src/core/inputChanges.js';
import {
  decideDuplicateEnd,
  decideJobEnd,
  endBeforeRun,
  type DuplicateFacts,
  type JobEndFacts,
} from '../../../src/output/jobEnd.js';
import { keptDocument } from '../../helpers/store.js';

const DOC = keptDocument('ask not', { source: 'talk.wav' });
const RUN = { document: DOC, degraded: ['vad fell back'], notes: ['language checked'] };

function facts(over: Partial<JobEndFacts> = {}): JobEndFacts {
  return {
    job: { id: 7 },
    input: 'same',
    inPlaceDuplicates: [],
    inTheWay: undefined,
    corrected: undefined,
    run: RUN,
    ...over,
  };
}

test('before the run: a file in the way skips the job with a note; nothing in the way runs it', () => {
  assert.equal(endBeforeRun({ id: 7 }, undefined), undefined);
  const end = endBeforeRun({ id: 7 }, '/lib/talk.srt');
  assert.equal(end?.action, 'skip');
  assert.equal(end?.inTheWay, '/lib/talk.srt');
  assert.match(end!.notes[0]!, /^skipped: talk\.srt is already beside the recording \(dropscribe retry 7/);
});

test('the same input: the run is published with its notes and degraded stages', () => {
  assert.deepEqual(decideJobEnd(facts()), {
    action: 'publish',
    document: DOC,
    notes: RUN.notes,
    degraded: RUN.degraded,
  });
});

test('a changed input: canceled, nothing published, even with a file in the way', () => {
  assert.deepEqual(decideJobEnd(facts({ input: 'changed', inTheWay: '/lib/talk.srt' })), {
    action: 'cancel',
    reason: CHANGED_REASON,
  });
});

test('a gone input with a queued duplicate in place: renamed, the duplicate publishes under the new name', () => {
  const inPlaceDuplicates: JobEndFacts['inPlaceDuplicates'] = [
    { id: 8, relPath: 'old.wav', state: 'done' },
    { id: 9, relPath: 'new.wav', state: 'queued' },
  ];
  const end = decideJobEnd(facts({ input: 'gone', inPlaceDuplicates }));
  assert.equal(end.action, 'renamed');
  assert.equal(end.action === 'renamed' && end.to.id, 9);
  assert.deepEqual(end.action === 'renamed' && end.notes.slice(0, 1), RUN.notes);
  assert.match(end.action === 'renamed' ? end.notes[1]! : '', /^renamed to new\.wav while it was transcribed.*job #9/);
});

test('a gone input without a duplicate in place: published, with a note saying the file went away', () => {
  const end = decideJobEnd(facts({ input: 'gone', inPlaceDuplicates: [{ id: 8, relPath: 'b.wav', state: 'done' }] }));
  assert.equal(end.action, 'publish');
  assert.deepEqual(end.action === 'publish' && end.notes, [...RUN.notes, GONE_NOTE]);
});

test('a file of the user beside the recording, known once the language is: skipped, only the skip note', () => {
  const end = decideJobEnd(facts({ inTheWay: '/lib/talk.en.srt', input: 'gone' }));
  assert.equal(end.action, 'skip');
  assert.deepEqual(end.action === 'skip' && end.notes.length, 1);
  assert.match(end.action === 'skip' ? end.notes[0]! : '', /^skipped: talk\.en\.srt/);
});

test("a retry keeps the user's corrections: they are published, and the notes say so", () => {
  const corrected = keptDocument('ask not Zyphrex', { source: 'talk.wav' });
  const end = decideJobEnd(facts({ corrected: { document: corrected, editedAt: Date.UTC(2026, 11, 1) } }));
  assert.equal(end.action, 'publish');
  assert.equal(end.action === 'publish' && end.document, corrected);
  assert.deepEqual(end.action === 'publish' && end.degraded, RUN.degraded);
  assert.match(end.action === 'publish' ? end.notes.at(-1)! : '', /kept the corrections .* on 2026-12-01T00:00:00/);
});

type Original = NonNullable<DuplicateFacts['original']>;

const ORIGINAL: Original = {
  id: 1,
  relPath: 'interview.m4a',
  state: 'done',
  settingsKey: 'k',
  errorKind: null,
  error: null,
  notes: ['a note'],
  degraded: ['vad fell back'],
  outputs: ['/out/interview.txt'],
};

function dupFacts(over: Partial<DuplicateFacts> = {}, original: Partial<Original> | null = {}): DuplicateFacts {
  return {
    duplicate: { id: 2, relPath: 'copy.m4a', settingsKey: 'k' },
    original: original ? { ...ORIGINAL, ...original } : undefined,
    originalBeside: false,
    originalInput: 'same',
    duplicateInput: 'same',
    document: DOC,
    inTheWay: undefined,
    ...over,
  };
}

test("a duplicate of a done original publishes the original's document under its own name, with its notes", () => {
  assert.deepEqual(decideDuplicateEnd(dupFacts()), {
    action: 'publish',
    document: { ...DOC, source: 'copy.m4a' },
    notes: ORIGINAL.notes,
    degraded: ORIGINAL.degraded,
  });
});

test('a duplicate whose original row is gone, or was made with other settings, is promoted', () => {
  assert.equal(decideDuplicateEnd(dupFacts({}, null)).action, 'promote');
  const other = decideDuplicateEnd(dupFacts({}, { settingsKey: 'old' }));
  assert.equal(other.action, 'promote');
  assert.match(other.action === 'promote' ? other.why : '', /other settings/);
});

test('an original that could not be read because its file changed: the intact copy is transcribed instead', () => {
  const unread: Partial<Original>[] = [{ state: 'canceled' }, { state: 'failed', errorKind: 'bad-input' }];
  for (const original of unread) {
    const end = decideDuplicateEnd(dupFacts({ originalInput: 'changed' }, original));
    assert.equal(end.action, 'hand-over');
  }
  const copyGoneToo = decideDuplicateEnd(
    dupFacts({ originalInput: 'gone', duplicateInput: 'gone' }, { state: 'canceled' }),
  );
  assert.equal(copyGoneToo.action, 'cancel', 'no copy holds the recording: canceled like its original');
});

test('a duplicate of a canceled original is canceled; of a failed one, fails with its error', () => {
  assert.deepEqual(decideDuplicateEnd(dupFacts({}, { state: 'canceled' })), { action: 'cancel' });
  const end = decideDuplicateEnd(dupFacts({}, { state: 'failed', errorKind: 'config', error: 'no model' }));
  assert.equal(end.action, 'fail');
  assert.equal(end.action === 'fail' && end.kind, 'config');
  assert.match(end.action === 'fail' ? end.message : '', /same recording as interview\.m4a \(job #1\).*\n\nno model$/s);
  const unknown = decideDuplicateEnd(dupFacts({}, { state: 'failed' }));
  assert.deepEqual(unknown.action === 'fail' && [unknown.kind, unknown.message.endsWith('unknown error')], [
    'bug',
    true,
  ]);
});

test('an original without a kept document: retried, unless it was skipped beside its recording (the copy runs)', () => {
  assert.equal(decideDuplicateEnd(dupFacts({ document: undefined })).action, 'retry-original');
  const skipped = decideDuplicateEnd(dupFacts({ document: undefined, originalBeside: true }, { outputs: [] }));
  assert.equal(skipped.action, 'hand-over');
  assert.match(skipped.action === 'hand-over' ? skipped.why : '', /was skipped/);
});

test('a duplicate with a file of the user beside it is skipped with a note of its own', () => {
  const end = decideDuplicateEnd(dupFacts({ inTheWay: '/lib/Old/Old.en.srt' }));
  assert.equal(end.action, 'skip');
  assert.match(end.action === 'skip' ? end.notes[0]! : '', /^skipped: Old\.en\.srt .*retry 2/);
});
