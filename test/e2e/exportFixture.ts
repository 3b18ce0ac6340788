// Finished jobs for `dropscribe export` (its e2e test and bench/export.mjs): a config on temp folders and a job
// database holding done jobs with kept transcripts of two named speakers, as the daemon leaves them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Config, type Format } from '../../src/config/config.js';
import type { TranscriptDocument } from '../../src/core/transcriptDocument.js';
import { jobsDbFile, openDb } from '../../src/store/db.js';
import { JobStore } from '../../src/store/jobs.js';
import { writeConfigFile } from '../helpers/daemonProcess.js';
import { testConfig } from '../helpers/env.js';

const WORDS = 'the river runs past every town and each town keeps a story about the water'.split(' ');

/** A transcript of `minutes` of two speakers taking turns, a segment every 5 s of 10 timed words. */
export function talk(source: string, minutes: number): TranscriptDocument {
  const segments = [];
  for (let k = 0; k * 5 < minutes * 60; k++) {
    const speaker = Math.floor(k / 3) % 2 ? 'S2' : 'S1';
    const words = WORDS.slice(k % 5, (k % 5) + 10).map((w, i) => ({
      word: ` ${w}`,
      start: k * 5 + i * 0.45,
      end: k * 5 + i * 0.45 + 0.4,
      probability: 0.8 + (i % 3) * 0.05,
      speaker,
    }));
    segments.push({
      start: words[0]!.start,
      end: words.at(-1)!.end,
      text: words.map((w) => w.word).join(''),
      words,
      speaker,
    });
  }
  return {
    source,
    language: 'en',
    languageProbability: 0.99,
    task: 'transcribe',
    backend: 'faster-whisper',
    model: 'base',
    alignment: 'native',
    durationSec: minutes * 60,
    processingSec: 10,
    degraded: [],
    notes: [],
    speechFound: true,
    createdAt: '2026-12-07T10:00:00.000Z',
    segments,
    suppressed: [],
    speakers: [
      { id: 'S1', name: 'Ada', speechSec: minutes * 30 },
      { id: 'S2', name: 'Ben', speechSec: minutes * 30 },
    ],
  } as TranscriptDocument;
}

export interface ExportFixture {
  config: Config;
  configFile: string;
  jobs: JobStore;
  ids: number[];
}

/** `count` done jobs (`folder/talk-N.wav`, 1 to 5 minutes long), finished a minute apart from `startMs`. */
export function finishedJobsFixture(
  count: number,
  { folder = 'interviews', startMs = Date.UTC(2026, 11, 1), formats = ['srt'] as Format[] } = {},
): ExportFixture {
  const config = testConfig();
  mkdirSync(config.outbox, { recursive: true });
  mkdirSync(config.dataDir, { recursive: true });
  const configFile = writeConfigFile(config, join(config.dataDir, '..'));
  let now = startMs;
  const jobs = new JobStore(openDb(jobsDbFile(config.dataDir)), () => now);
  const ids: number[] = [];
  for (let i = 1; i <= count; i++) {
    const relPath = `${folder}/talk-${i}.wav`;
    const { job } = jobs.enqueue({
      input: join(config.inboxes[0]!, relPath),
      inbox: config.inboxes[0]!,
      relPath,
      outputStem: join(config.outbox, folder, `talk-${i}`),
      sha256: `sha-${folder}-${i}`,
      size: 10,
      mtimeMs: 1,
      settings: { ...DEFAULT_SETTINGS, formats },
    });
    jobs.claim(job.id, 'fixture', 60_000);
    now += 60_000;
    jobs.complete(job.id, [], [], [], talk(relPath, 1 + (i % 5)));
    ids.push(job.id);
  }
  return { config, configFile, jobs, ids };
}
