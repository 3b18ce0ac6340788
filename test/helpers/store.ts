// A JobStore on a fresh temp database, and a quick way to add a job.
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type JobSettings } from '../../src/config.js';
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
