// A JobStore on a fresh temp database, quick ways to add a job, and a kept transcript document.
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type JobSettings } from '../../src/config/config.js';
import type { TranscriptDocument } from '../../src/output/render/index.js';
import { openDb } from '../../src/store/db.js';
import { JobStore } from '../../src/store/jobs.js';
import { tempDir } from './env.js';

export function tempStore(now?: () => number): JobStore {
  return new JobStore(openDb(join(tempDir(), 'jobs.db')), now);
}

let counter = 0;
export function addJob(
  store: JobStore,
  input = `/in/file${++counter}.wav`,
  settings: Partial<JobSettings> = {},
  sha = `sha-${input}-${counter}`,
) {
  return store.enqueue({
    input,
    inbox: '/in',
    relPath: input.replace('/in/', ''),
    outputStem: `/out/${counter}`,
    sha256: sha,
    size: 10,
    mtimeMs: 1,
    settings: { ...DEFAULT_SETTINGS, ...settings },
  });
}

/** A way to drop content `sha` under `rel` below the inbox `/in`, its outputs named below `outbox`. */
export function dropper(store: JobStore, outbox: string, defaultSha = 'same-content') {
  return (rel: string, sha = defaultSha, settings: Partial<JobSettings> = {}) =>
    store.enqueue({
      input: `/in/${rel}`,
      inbox: '/in',
      relPath: rel,
      outputStem: join(outbox, rel.replace(/\.[^.]+$/, '')),
      sha256: sha,
      size: 10,
      mtimeMs: 1,
      settings: { ...DEFAULT_SETTINGS, ...settings },
    });
}

/** A finished job's kept document: one 3 s segment of `text`, English, transcribed by `base`; `fields` replace any. */
export function keptDocument(text: string, fields: Partial<TranscriptDocument> = {}): TranscriptDocument {
  return {
    source: 'a.wav',
    language: 'en',
    languageProbability: 1,
    task: 'transcribe',
    backend: 'faster-whisper',
    model: 'base',
    alignment: 'none',
    durationSec: 3,
    processingSec: 1,
    degraded: [],
    notes: [],
    speechFound: true,
    createdAt: 'now',
    segments: [{ start: 0, end: 3, text: ` ${text}`, words: [] }],
    suppressed: [],
    ...fields,
  };
}
