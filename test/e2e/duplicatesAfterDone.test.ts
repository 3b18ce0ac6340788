// End to end with the real daemon and the default model: copies dropped after their original is done appear at
// once (from an idle queue), and the same bytes in a translate folder are transcribed again with those settings.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CORPUS } from '../helpers/env.js';
import { startTestDaemon, waitFor } from '../helpers/daemonProcess.js';

const ENGLISH_MARKERS = ['the', 'was', 'he', 'and', 'of', 'as', 'a', 'this', 'became', 'used', 'is', 'to', 'in'];

test('copies dropped after the original is done are published within seconds; a translate folder gets its own transcript', async () => {
  const { inbox, outbox, config, daemon } = await startTestDaemon({
    rules: [{ folder: 'to-english', task: 'translate' }],
  });
  const outputOf = (stem: string) => join(outbox, `${stem}.json`);
  const waitOutputs = (stems: string[], ms: number) =>
    waitFor(`outputs of ${stems.join(', ')}`, () => stems.every((s) => existsSync(outputOf(s))), ms).catch(daemon.fail);
  try {
    // The original is done (the queue idle) before its copies arrive.
    copyFileSync(join(CORPUS, 'jfk.flac'), join(inbox, 'jfk.flac'));
    await waitOutputs(['jfk'], 180_000);
    mkdirSync(join(inbox, 'sub'));
    copyFileSync(join(CORPUS, 'jfk.flac'), join(inbox, 'jfk copy.flac'));
    copyFileSync(join(CORPUS, 'jfk.flac'), join(inbox, 'sub', 'jfk.flac'));
    const copies = ['jfk copy', join('sub', 'jfk')];
    const dropped = Date.now();
    await waitOutputs(copies, 20_000);
    console.log(`# copies published ${Date.now() - dropped} ms after they were dropped`);
    const txt = readFileSync(join(outbox, 'jfk.txt'), 'utf8');
    assert.match(txt, /ask not what your country can do for you/i);
    for (const stem of copies) assert.equal(readFileSync(join(outbox, `${stem}.txt`), 'utf8'), txt, stem);

    // The same German bytes: transcribed in the inbox root, translated in the translate folder.
    const german = 'de_picovoice_test_de.wav';
    copyFileSync(join(CORPUS, german), join(inbox, german));
    await waitOutputs(['de_picovoice_test_de'], 180_000);
    mkdirSync(join(inbox, 'to-english'));
    copyFileSync(join(CORPUS, german), join(inbox, 'to-english', german));
    const translatedStem = join('to-english', 'de_picovoice_test_de');
    await waitOutputs([translatedStem], 180_000);
    const source = JSON.parse(readFileSync(outputOf('de_picovoice_test_de'), 'utf8'));
    const translated = JSON.parse(readFileSync(outputOf(translatedStem), 'utf8'));
    assert.deepEqual([source.task, source.language], ['transcribe', 'de']);
    assert.deepEqual([translated.task, translated.language], ['translate', 'de']);
    const words = new Set(
      readFileSync(join(outbox, `${translatedStem}.txt`), 'utf8')
        .toLowerCase()
        .split(/[^a-z']+/),
    );
    assert.ok(ENGLISH_MARKERS.filter((w) => words.has(w)).length >= 2, `not English: ${[...words].join(' ')}`);
    assert.ok(!(translated.notes as string[]).some((n) => /reused/.test(n)), JSON.stringify(translated.notes));
  } finally {
    await daemon.stop();
  }

  const db = new Database(join(config.dataDir, 'jobs.db'), { readonly: true });
  const jobs = db
    .prepare('SELECT id, rel_path AS relPath, duplicate_of AS duplicateOf, state FROM jobs ORDER BY id')
    .all() as { id: number; relPath: string; duplicateOf: number | null; state: string }[];
  const transcribed = db
    .prepare(
      `SELECT j.rel_path AS relPath FROM stage_runs r JOIN jobs j ON j.id = r.job_id
    WHERE r.stage = 'transcribe' AND r.outcome = 'ok' ORDER BY r.id`,
    )
    .all() as { relPath: string }[];
  db.close();
  const byPath = new Map(jobs.map((j) => [j.relPath, j]));
  const original = byPath.get('jfk.flac')!;
  assert.ok(
    jobs.every((j) => j.state === 'done'),
    JSON.stringify(jobs),
  );
  assert.deepEqual(
    ['jfk copy.flac', join('sub', 'jfk.flac')].map((p) => byPath.get(p)?.duplicateOf),
    [original.id, original.id],
  );
  assert.equal(
    byPath.get(join('to-english', 'de_picovoice_test_de.wav'))?.duplicateOf,
    null,
    'other settings: an original',
  );
  assert.deepEqual(
    transcribed.map((r) => r.relPath),
    ['jfk.flac', 'de_picovoice_test_de.wav', join('to-english', 'de_picovoice_test_de.wav')],
    'one transcription per content and settings',
  );
});
