// End to end with the default config (bundled multilingual base): translation, recordings without speech, and an
// English-only model meeting German. Real daemon, real model. (The corpus's word error rates: test/quality/.)
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CORPUS } from '../helpers/env.js';
import { cli, outputDoc, runForSuite, testDaemon, waitForOutputs } from '../helpers/daemonProcess.js';
import { silence, tone, wavBytes } from '../helpers/synthAudio.js';

const ENGLISH_MARKERS = new Set(['the', 'was', 'he', 'and', 'of', 'as', 'a', 'this', 'became', 'used']);

describe('languages with the default config', () => {
  const t = testDaemon({
    rules: [
      { folder: 'to-english', task: 'translate' },
      { folder: 'english-model', model: 'tiny.en' },
    ],
  });
  const docOf = (stem: string) => outputDoc(t, stem);
  const waitOutputs = (stems: string[]) => waitForOutputs(t, stems);
  runForSuite(t);

  test('a translate folder turns German and French into English and keeps the source language', async () => {
    mkdirSync(join(t.inbox, 'to-english'), { recursive: true });
    const clips = ['de_picovoice_test_de.wav', 'fr_picovoice_test_fr.wav'];
    for (const clip of clips) copyFileSync(join(CORPUS, clip), join(t.inbox, 'to-english', clip));
    const stems = clips.map((c) => join('to-english', c.replace('.wav', '')));
    await waitOutputs(stems);
    for (const [i, stem] of stems.entries()) {
      const doc = docOf(stem);
      const text = readFileSync(join(t.outbox, `${stem}.txt`), 'utf8');
      const words = new Set(text.toLowerCase().split(/[^a-z']+/));
      console.log(`# translated ${clips[i]}: ${text.trim()}`);
      assert.ok([...ENGLISH_MARKERS].filter((w) => words.has(w)).length >= 2, `not English: ${text}`);
      assert.equal(doc.task, 'translate');
      assert.equal(doc.language, clips[i]!.slice(0, 2), 'the JSON keeps the source language');
    }
  });

  test('silence and a tone give an empty transcript with a "no speech found" note, never invented text', async () => {
    writeFileSync(join(t.inbox, 'quiet room.wav'), wavBytes(20, silence));
    writeFileSync(join(t.inbox, 'test tone.wav'), wavBytes(20, tone(440)));
    await waitOutputs(['quiet room', 'test tone']);
    for (const stem of ['quiet room', 'test tone']) {
      const doc = docOf(stem);
      assert.deepEqual(doc.segments, [], `${stem}: ${JSON.stringify(doc.segments)}`);
      assert.equal(doc.speechFound, false);
      assert.ok(
        doc.notes.some((n: string) => /no speech found/.test(n)),
        JSON.stringify(doc.notes),
      );
      assert.equal(readFileSync(join(t.outbox, `${stem}.txt`), 'utf8').trim(), '');
    }
    const status = await cli(['status', '--config', t.configFile]);
    assert.match(status.stdout, /no speech found/);
  });

  test('an English-only model given German warns in the JSON and status instead of staying silent', async () => {
    mkdirSync(join(t.inbox, 'english-model'), { recursive: true });
    copyFileSync(join(CORPUS, 'de_picovoice_test_de.wav'), join(t.inbox, 'english-model', 'german.wav'));
    await waitOutputs([join('english-model', 'german')]);
    const doc = docOf(join('english-model', 'german'));
    assert.ok(
      doc.notes.some((n: string) => /sounds like 'de'.*only knows English/.test(n)),
      JSON.stringify(doc.notes),
    );
    const status = await cli(['status', '--json', '--config', t.configFile]);
    const job = (JSON.parse(status.stdout).jobs as { input: string; notes: string[] }[]).find((j) =>
      j.input.endsWith('german.wav'),
    );
    assert.ok(job?.notes.some((n) => /only knows English/.test(n)));
  });
});
