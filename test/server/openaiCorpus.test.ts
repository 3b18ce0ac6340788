// The openai backend against a real faster-whisper-server on 127.0.0.1 serving the bundled base model: the corpus
// through the server and through the local backend (folder rules pick the backend) with pooled WER side by side,
// subtitles from segments without word timings that still meet the rules; words where a server gives them.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Segment } from '../../src/core/contract.js';
import { startTestDaemon, waitFor } from '../helpers/daemonProcess.js';
import { corpus, CORPUS } from '../helpers/env.js';
import { freePort, FwsServer, SERVER_MODELS, serverMissing } from '../helpers/fwsServer.js';
import { ServerDouble } from '../helpers/serverDouble.js';
import { checkSrt, summarize } from '../helpers/subtitleRules.js';
import { normalizeWords, wer } from '../helpers/wer.js';
import { transcribeRuns } from '../helpers/stageRecords.js';

const missing = serverMissing();
if (missing) console.log(`# skipping the server tests: ${missing}`);
let server: FwsServer;

before(async () => {
  if (!missing) server = await new FwsServer(await freePort(), SERVER_MODELS.base).start();
});
after(async () => server?.stop());

interface Doc {
  backend: string;
  model: string;
  degraded: string[];
  segments: Segment[];
}

const stem = (file: string) => file.replace(/\.[^.]+$/, '');

test(
  'the corpus through the server: WER within 0.02 of the local backend, subtitles meet the rules',
  {
    skip: missing,
    timeout: 900_000,
  },
  async () => {
    const clips = corpus();
    const t = await startTestDaemon({
      job: { model: 'base', align: 'native' },
      rules: [
        { folder: 'server', backend: 'openai' },
        { folder: 'local', backend: 'faster-whisper' },
      ],
      backends: { openai: { url: server.url, model: 'base', concurrency: 1, fallback: null } },
      jobs: { concurrency: 2 },
    });
    for (const side of ['server', 'local']) {
      mkdirSync(join(t.inbox, side));
      for (const c of clips) copyFileSync(join(CORPUS, c.file), join(t.inbox, side, c.file));
    }
    const out = (side: string, file: string) => join(t.outbox, side, `${stem(file)}.json`);
    await waitFor(
      'every transcript',
      () => clips.every((c) => existsSync(out('server', c.file)) && existsSync(out('local', c.file))),
      840_000,
      500,
    ).catch(t.daemon.fail);
    await t.daemon.stop();

    const pooled = (side: string) => {
      let errors = 0;
      let words = 0;
      for (const c of clips) {
        const doc = JSON.parse(readFileSync(out(side, c.file), 'utf8')) as Doc;
        const n = normalizeWords(c.reference).length;
        errors += wer(c.reference, doc.segments.map((s) => s.text).join(' ')) * n;
        words += n;
      }
      return errors / words;
    };
    const [serverWer, localWer] = [pooled('server'), pooled('local')];
    console.log(
      `# pooled WER over ${clips.length} clips: server ${serverWer.toFixed(4)}, local ${localWer.toFixed(4)}`,
    );
    assert.ok(Math.abs(serverWer - localWer) <= 0.02, `server ${serverWer} vs local ${localWer}`);

    const reports = clips.map((c) => {
      const doc = JSON.parse(readFileSync(out('server', c.file), 'utf8')) as Doc;
      assert.equal(doc.backend, 'openai');
      assert.equal(doc.model, 'base', "the server's model");
      assert.deepEqual(doc.degraded, ['no word timings were available: segments are written without words']);
      return checkSrt(readFileSync(join(t.outbox, 'server', `${stem(c.file)}.srt`), 'utf8'));
    });
    const rules = summarize(reports);
    console.log(`# server subtitles: ${rules.cues} cues, ${(100 * rules.passingShare).toFixed(1)}% meet every rule`);
    assert.ok(rules.passingShare >= 0.97, JSON.stringify(rules.byRule));
    assert.equal(rules.shortNotInPause, 0);
  },
);

test(
  'a server that answers 500 twice and then 200 costs two retries and no fallback; its words are kept',
  {
    skip: missing,
    timeout: 300_000,
  },
  async () => {
    const double = await new ServerDouble(server.url, { fail500: 2, addWords: true }).start();
    const t = await startTestDaemon({
      job: { backend: 'openai', model: 'tiny.en' },
      backends: { openai: { url: double.url, model: 'base', fallback: 'faster-whisper' } },
      stages: { maxAttempts: 3 },
    });
    copyFileSync(join(CORPUS, 'jfk.flac'), join(t.inbox, 'jfk.flac'));
    const out = join(t.outbox, 'jfk.json');
    await waitFor('the transcript', () => existsSync(out), 240_000).catch(t.daemon.fail);
    await t.daemon.stop();
    await double.stop();
    assert.deepEqual(
      double.seen.map((r) => r.status),
      [500, 500, 200],
    );
    const runs = transcribeRuns(t.dataDir);
    assert.deepEqual(
      runs.map((r) => [r.backend, r.outcome]),
      [
        ['openai', 'failed'],
        ['openai', 'failed'],
        ['openai', 'ok'],
      ],
    );
    const doc = JSON.parse(readFileSync(out, 'utf8')) as Doc;
    assert.deepEqual(doc.degraded, []);
    assert.equal(doc.backend, 'openai');
    assert.ok(
      doc.segments.every((s) => s.words.length > 0),
      'the words the server gave',
    );
    const srt = checkSrt(readFileSync(join(t.outbox, 'jfk.srt'), 'utf8'));
    assert.ok(summarize([srt]).passingShare >= 0.97);
  },
);

test(
  'a wrong key: the job fails with a clear error that says how to fix it',
  {
    skip: missing,
    timeout: 300_000,
  },
  async () => {
    const double = await new ServerDouble(server.url, { requireKey: 'sk-right' }).start();
    const t = await startTestDaemon(
      {
        job: { backend: 'openai', model: 'tiny.en' },
        backends: { openai: { url: double.url, model: 'base', fallback: null } },
      },
      { OPENAI_API_KEY: 'sk-wrong-key' },
    );
    copyFileSync(join(CORPUS, 'en_cmu_arctic_a0024.wav'), join(t.inbox, 'arctic.wav'));
    const report = join(t.outbox, 'arctic.error.txt');
    await waitFor('the error report', () => existsSync(report), 240_000).catch(t.daemon.fail);
    await t.daemon.stop();
    await double.stop();
    const text = readFileSync(report, 'utf8');
    assert.match(text, /refused the API key \(HTTP 401/);
    assert.match(text, /Fix: set OPENAI_API_KEY/);
    assert.ok(!text.includes('sk-wrong-key') && !t.daemon.output.includes('sk-wrong-key'), 'the key is never shown');
    assert.equal(double.seen.length, 1, 'a refused key is not retried');
  },
);
