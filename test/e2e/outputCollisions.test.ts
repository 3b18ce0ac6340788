// End to end with the real daemon and model: names a Mac's volume holds as one (Interview.wav and interview.wav, two
// recordings) get output sets whose names differ once case-folded and NFC-normalized, and a user's own talk.txt beside
// a watched recording survives (the copy is skipped with a note).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { CORPUS } from '../helpers/env.js';
import { startTestDaemon, waitFor } from '../helpers/daemonProcess.js';
import { readJobsDb } from '../helpers/jobsDb.js';

interface Row {
  relPath: string;
  state: string;
  outputs: string | null;
  notes: string | null;
}

const fold = (name: string) => name.normalize('NFC').toUpperCase().toLowerCase();
const MINE = 'my own notes about the talk\n';

test('Interview.wav and interview.wav get output names that differ on a Mac; talk.txt beside a recording survives', async () => {
  const t = await startTestDaemon({
    job: { model: 'tiny.en', speakers: 'off', formats: ['txt', 'json'] },
    rules: [{ folder: 'notes', output: { beside: true } }],
  });
  try {
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(t.inbox, 'Interview.wav'));
    copyFileSync(join(CORPUS, 'en_librispeech_1272-128104-0000.wav'), join(t.inbox, 'interview.wav'));
    mkdirSync(join(t.inbox, 'notes'));
    writeFileSync(join(t.inbox, 'notes', 'talk.txt'), MINE);
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(t.inbox, 'notes', 'talk.wav'));
    const rows = await waitFor(
      'three jobs finished',
      () => {
        const r = readJobsDb<Row>(t.dataDir, 'SELECT rel_path AS relPath, state, outputs, notes FROM jobs ORDER BY id');
        return r.length === 3 && r.every((j) => j.state === 'done') ? r : undefined;
      },
      300_000,
    ).catch(t.daemon.fail);
    const outputsOf = (rel: string) => JSON.parse(rows.find((r) => r.relPath === rel)!.outputs ?? '[]') as string[];
    const upper = outputsOf('Interview.wav');
    const lower = outputsOf('interview.wav');
    assert.equal(upper.length, 2);
    assert.equal(lower.length, 2);
    const folded = [...upper, ...lower].map((p) => fold(basename(p)));
    assert.equal(new Set(folded).size, 4, `the two sets collide on a Mac: ${[...upper, ...lower].join(', ')}`);
    const txtOf = (outputs: string[]) =>
      readFileSync(
        outputs.find((p) => p.endsWith('.txt'))!,
        'utf8',
      );
    assert.match(txtOf(upper), /reports from the north/i);
    assert.match(txtOf(lower), /quilter/i);

    assert.equal(readFileSync(join(t.inbox, 'notes', 'talk.txt'), 'utf8'), MINE);
    assert.deepEqual(readdirSync(join(t.inbox, 'notes')).sort(), ['talk.txt', 'talk.wav']);
    const talk = rows.find((r) => r.relPath === 'notes/talk.wav')!;
    assert.match(talk.notes ?? '', /skipped: talk\.txt is already beside the recording/);
  } finally {
    await t.daemon.stop();
  }
});
