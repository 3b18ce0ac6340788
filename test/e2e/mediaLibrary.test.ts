// End to end, real daemon and model: a folder with both tasks writes the source-language transcript and name.en.*
// from one decode; a media library watched in place gets Movie.en.srt / Film.de.srt beside its videos, skips a video
// that already has its subtitle, and writes nothing into the outbox.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { CORPUS, tempDir } from '../helpers/env.js';
import { cli, startDaemon, testDaemon, waitFor } from '../helpers/daemonProcess.js';
import { ffmpeg } from '../helpers/ffmpeg.js';
import { walkFiles } from '../../src/platform/walkFiles.js';

const ENGLISH_MARKERS = new Set(['the', 'was', 'he', 'and', 'of', 'as', 'a', 'this', 'is', 'i', 'it', 'to', 'in']);

/** A short video (a still frame) with the corpus clip as its sound, made outside the watched folder and moved in. */
function video(clip: string, target: string): void {
  const made = join(tempDir(), 'made.mp4');
  ffmpeg([
    ...['-f', 'lavfi', '-i', 'color=c=black:s=64x64:r=5', '-i', join(CORPUS, clip), '-shortest'],
    ...['-c:v', 'mpeg4', '-c:a', 'aac', made],
  ]);
  renameSync(made, target);
}

describe('both tasks and a media library', () => {
  const { inbox, outbox, dataDir, daemon, configFile } = testDaemon({
    job: { speakers: 'off' }, // the tasks and where subtitles go are the point, not speaker labelling
    rules: [
      { folder: 'both', task: ['transcribe', 'translate'] },
      { folder: 'library', formats: ['srt'], output: { beside: true, languageSuffix: true } },
    ],
  });
  before(async () => {
    await startDaemon(daemon, inbox);
  });
  after(async () => {
    await daemon.stop();
  });

  test('both tasks: name.srt in German or French and name.en.srt in English, from one decode', async () => {
    mkdirSync(join(inbox, 'both'), { recursive: true });
    const clips = ['de_picovoice_test_de.wav', 'fr_picovoice_test_fr.wav'];
    for (const clip of clips) copyFileSync(join(CORPUS, clip), join(inbox, 'both', clip));
    const stems = clips.map((c) => join(outbox, 'both', c.replace('.wav', '')));
    await waitFor(
      'both outputs',
      () => stems.every((s) => existsSync(`${s}.json`) && existsSync(`${s}.en.json`)),
      400_000,
    ).catch(daemon.fail);
    for (const [i, stem] of stems.entries()) {
      const language = clips[i]!.slice(0, 2);
      const source = JSON.parse(readFileSync(`${stem}.json`, 'utf8'));
      const english = JSON.parse(readFileSync(`${stem}.en.json`, 'utf8'));
      const sourceText = readFileSync(`${stem}.txt`, 'utf8');
      const englishText = readFileSync(`${stem}.en.txt`, 'utf8');
      console.log(`# ${clips[i]}: ${sourceText.trim()} | ${englishText.trim()}`);
      assert.equal(source.task, 'transcribe');
      assert.equal(source.language, language);
      assert.equal(source.translation, undefined, 'the JSON of the source holds only its own transcript');
      assert.equal(english.task, 'translate');
      const words = new Set(englishText.toLowerCase().split(/[^a-z']+/));
      assert.ok([...ENGLISH_MARKERS].filter((w) => words.has(w)).length >= 2, `not English: ${englishText}`);
      assert.notEqual(sourceText.trim(), englishText.trim());
      for (const ext of ['srt', 'vtt']) assert.ok(existsSync(`${stem}.${ext}`) && existsSync(`${stem}.en.${ext}`));
    }
    const db = new Database(join(dataDir, 'jobs.db'), { readonly: true, fileMustExist: true });
    try {
      const runs = db
        .prepare(
          `SELECT j.rel_path AS file, r.stage, r.unit FROM stage_runs r JOIN jobs j ON j.id = r.job_id
           WHERE j.rel_path LIKE 'both%' AND r.outcome = 'ok'`,
        )
        .all() as { file: string; stage: string; unit: string | null }[];
      for (const clip of clips) {
        const mine = runs.filter((r) => r.file.endsWith(clip));
        assert.equal(mine.filter((r) => r.stage === 'decode').length, 1, JSON.stringify(mine));
        assert.equal(mine.filter((r) => r.stage === 'vad').length, 1, JSON.stringify(mine));
        assert.deepEqual(
          mine.filter((r) => r.stage === 'transcribe').map((r) => r.unit),
          [null, 'translate'],
        );
      }
    } finally {
      db.close();
    }
  });

  test('a library folder gets Movie.en.srt and Film.de.srt beside the videos, skips a subtitled one', async () => {
    const library = join(inbox, 'library');
    mkdirSync(join(library, 'Movie'), { recursive: true });
    mkdirSync(join(library, 'Film'), { recursive: true });
    mkdirSync(join(library, 'Old'), { recursive: true });
    writeFileSync(join(library, 'Old', 'Old.en.srt'), '1\n00:00:00,000 --> 00:00:01,000\nmine\n');
    video('jfk.flac', join(library, 'Old', 'Old.mp4'));
    video('jfk.flac', join(library, 'Movie', 'Movie.mp4'));
    video('de_picovoice_test_de.wav', join(library, 'Film', 'Film.mp4'));
    const movie = join(library, 'Movie', 'Movie.en.srt');
    const film = join(library, 'Film', 'Film.de.srt');
    await waitFor('subtitles beside the videos', () => existsSync(movie) && existsSync(film), 400_000).catch(
      daemon.fail,
    );
    assert.match(readFileSync(movie, 'utf8'), /ask not what your country/i);
    assert.match(readFileSync(film, 'utf8'), /-->/);
    assert.deepEqual(readdirSync(join(library, 'Movie')).sort(), ['Movie.en.srt', 'Movie.mp4']);
    assert.deepEqual(readdirSync(join(library, 'Film')).sort(), ['Film.de.srt', 'Film.mp4']);
    const status = await waitFor(
      'the skipped video in status',
      async () => {
        const out = await cli(['status', '--json', '--config', configFile]);
        const jobs = JSON.parse(out.stdout).jobs as { input: string; state: string; notes: string[] }[];
        return jobs.find((j) => j.input.endsWith('Old.mp4') && j.state === 'done');
      },
      120_000,
    ).catch(daemon.fail);
    assert.ok(
      status.notes.some((n) => /skipped: Old\.en\.srt is already beside/.test(n)),
      JSON.stringify(status),
    );
    assert.equal(
      readFileSync(join(library, 'Old', 'Old.en.srt'), 'utf8')
        .trim()
        .endsWith('mine'),
      true,
    );
    const inOutbox = existsSync(join(outbox, 'library')) ? [...walkFiles(join(outbox, 'library'))] : [];
    assert.deepEqual(inOutbox, [], 'nothing from the library folder in the outbox');
  });
});
