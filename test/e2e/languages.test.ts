// End to end with the default config (bundled multilingual base): every corpus language, translation,
// recordings without speech, and an English-only model meeting German. Real daemon, real model.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { corpus, CORPUS } from '../helpers/env.js';
import { cli, startDaemon, testDaemon, waitFor } from '../helpers/daemonProcess.js';
import { silence, tone, wavBytes } from '../helpers/synthAudio.js';
import { wer } from '../helpers/wer.js';

const ENGLISH_MARKERS = new Set(['the', 'was', 'he', 'and', 'of', 'as', 'a', 'this', 'became', 'used']);

describe('every language with the default config', () => {
  const { inbox, outbox, daemon } = testDaemon({
    rules: [
      { folder: 'to-english', task: 'translate' },
      { folder: 'english-model', model: 'tiny.en' },
    ],
  });
  const manifest = corpus();
  const docOf = (stem: string) => JSON.parse(readFileSync(join(outbox, `${stem}.json`), 'utf8'));
  const waitOutputs = (stems: string[]) =>
    waitFor(
      `outputs of ${stems.join(', ')}`,
      () => stems.every((s) => existsSync(join(outbox, `${s}.json`))),
      400_000,
    ).catch(daemon.fail);

  before(async () => {
    await startDaemon(daemon, inbox);
  });
  after(async () => {
    await daemon.stop();
  });

  test('the corpus: mean WER <= 0.15, every non-English clip <= 0.35, the language detected right', async () => {
    for (const entry of manifest) copyFileSync(join(CORPUS, entry.file), join(inbox, entry.file));
    const stems = manifest.map((e) => e.file.replace(/\.[^.]+$/, ''));
    await waitOutputs(stems);
    const scores = manifest.map((entry, i) => {
      const doc = docOf(stems[i]!);
      const score = wer(entry.reference, readFileSync(join(outbox, `${stems[i]}.txt`), 'utf8'));
      console.log(
        `# ${entry.language} ${entry.file}: WER ${score.toFixed(3)}, detected ${doc.language} (${doc.languageProbability})`,
      );
      assert.equal(doc.language, entry.language, `language of ${entry.file}`);
      assert.equal(doc.model, 'base');
      assert.match(
        readFileSync(join(outbox, `${stems[i]}.vtt`), 'utf8'),
        new RegExp(`^Language: ${entry.language}$`, 'm'),
      );
      if (entry.language !== 'en') assert.ok(score <= 0.35, `WER ${score.toFixed(3)} for ${entry.file}`);
      return score;
    });
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    console.log(`# mean WER over ${scores.length} clips: ${mean.toFixed(3)}`);
    assert.ok(mean <= 0.15, `mean WER ${mean.toFixed(3)}`);
  });

  test('a translate folder turns German and French into English and keeps the source language', async () => {
    mkdirSync(join(inbox, 'to-english'), { recursive: true });
    const clips = ['de_picovoice_test_de.wav', 'fr_picovoice_test_fr.wav'];
    for (const clip of clips) copyFileSync(join(CORPUS, clip), join(inbox, 'to-english', clip));
    const stems = clips.map((c) => join('to-english', c.replace('.wav', '')));
    await waitOutputs(stems);
    for (const [i, stem] of stems.entries()) {
      const doc = docOf(stem);
      const text = readFileSync(join(outbox, `${stem}.txt`), 'utf8');
      const words = new Set(text.toLowerCase().split(/[^a-z']+/));
      console.log(`# translated ${clips[i]}: ${text.trim()}`);
      assert.ok([...ENGLISH_MARKERS].filter((w) => words.has(w)).length >= 2, `not English: ${text}`);
      assert.equal(doc.task, 'translate');
      assert.equal(doc.language, clips[i]!.slice(0, 2), 'the JSON keeps the source language');
    }
  });

  test('silence and a tone give an empty transcript with a "no speech found" note, never invented text', async () => {
    writeFileSync(join(inbox, 'quiet room.wav'), wavBytes(20, silence));
    writeFileSync(join(inbox, 'test tone.wav'), wavBytes(20, tone(440)));
    await waitOutputs(['quiet room', 'test tone']);
    for (const stem of ['quiet room', 'test tone']) {
      const doc = docOf(stem);
      assert.deepEqual(doc.segments, [], `${stem}: ${JSON.stringify(doc.segments)}`);
      assert.equal(doc.speechFound, false);
      assert.ok(
        doc.notes.some((n: string) => /no speech found/.test(n)),
        JSON.stringify(doc.notes),
      );
      assert.equal(readFileSync(join(outbox, `${stem}.txt`), 'utf8').trim(), '');
    }
    const status = await cli(['status', '--config', daemon.configFile]);
    assert.match(status.stdout, /no speech found/);
  });

  test('an English-only model given German warns in the JSON and status instead of staying silent', async () => {
    mkdirSync(join(inbox, 'english-model'), { recursive: true });
    copyFileSync(join(CORPUS, 'de_picovoice_test_de.wav'), join(inbox, 'english-model', 'german.wav'));
    await waitOutputs([join('english-model', 'german')]);
    const doc = docOf(join('english-model', 'german'));
    assert.ok(
      doc.notes.some((n: string) => /sounds like 'de'.*only knows English/.test(n)),
      JSON.stringify(doc.notes),
    );
    const status = await cli(['status', '--json', '--config', daemon.configFile]);
    const job = (JSON.parse(status.stdout).jobs as { input: string; notes: string[] }[]).find((j) =>
      j.input.endsWith('german.wav'),
    );
    assert.ok(job?.notes.some((n) => /only knows English/.test(n)));
  });
});
