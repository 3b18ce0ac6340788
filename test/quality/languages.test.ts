// The corpus through the real daemon with the default config (bundled multilingual base): every language detected,
// word error rates against MANIFEST.tsv. Real daemon, real model.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { corpus, CORPUS } from '../helpers/env.js';
import { outputDoc, runForSuite, testDaemon, waitForOutputs } from '../helpers/daemonProcess.js';
import { wer } from '../helpers/wer.js';

describe('every language of the corpus with the default config', () => {
  const t = testDaemon();
  const manifest = corpus();
  const docOf = (stem: string) => outputDoc(t, stem);
  const waitOutputs = (stems: string[]) => waitForOutputs(t, stems);
  runForSuite(t);

  test('the corpus: mean WER <= 0.15, every non-English clip <= 0.35, the language detected right', async () => {
    for (const entry of manifest) copyFileSync(join(CORPUS, entry.file), join(t.inbox, entry.file));
    const stems = manifest.map((e) => e.file.replace(/\.[^.]+$/, ''));
    await waitOutputs(stems);
    const scores = manifest.map((entry, i) => {
      const doc = docOf(stems[i]!);
      const score = wer(entry.reference, readFileSync(join(t.outbox, `${stems[i]}.txt`), 'utf8'));
      console.log(
        `# ${entry.language} ${entry.file}: WER ${score.toFixed(3)}, detected ${doc.language} (${doc.languageProbability})`,
      );
      assert.equal(doc.language, entry.language, `language of ${entry.file}`);
      assert.equal(doc.model, 'base');
      assert.match(
        readFileSync(join(t.outbox, `${stems[i]}.vtt`), 'utf8'),
        new RegExp(`^Language: ${entry.language}$`, 'm'),
      );
      if (entry.language !== 'en') assert.ok(score <= 0.35, `WER ${score.toFixed(3)} for ${entry.file}`);
      return score;
    });
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    console.log(`# mean WER over ${scores.length} clips: ${mean.toFixed(3)}`);
    assert.ok(mean <= 0.15, `mean WER ${mean.toFixed(3)}`);
  });
});
