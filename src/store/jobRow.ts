// A job row as stored in SQLite and as the rest of the code sees it, with the two statements jobs.ts and
// duplicateStore.ts share: read one job, insert one. The rest of the SQL on jobs is in those two stores.
import { createHash } from 'node:crypto';
import { DEFAULT_SETTINGS, JobSettings, TRANSCRIPT_SETTINGS } from '../config/config.js';
import type { ErrorKind } from '../core/contract.js';
import type { JobState } from '../core/jobStates.js';
import { foldName } from '../core/outputNaming.js';
import type { Db } from './db.js';

export { TRANSCRIPT_SETTINGS } from '../config/config.js';

/** The transcript settings keys were first stored with; each one added since (alignModel, vocabulary, speakers and
 * whatever joins the schema) is left out of the key while it has its default, so the keys that earlier versions
 * stored stay valid and content dropped again is still recognised. */
const FIRST_KEYED: readonly string[] = [
  'backend',
  'model',
  'language',
  'task',
  'separate',
  'separateModel',
  'vad',
  'align',
  'audioStream',
  'languageMismatch',
];
const isDefault = (k: (typeof TRANSCRIPT_SETTINGS)[number], v: unknown) =>
  v === undefined || JSON.stringify(v) === JSON.stringify(DEFAULT_SETTINGS[k] ?? null);

/** A short stable key of the transcript settings: the same content is only a duplicate under the same key. */
export function settingsKey(settings: JobSettings): string {
  const counted = TRANSCRIPT_SETTINGS.filter((k) => FIRST_KEYED.includes(k) || !isDefault(k, settings[k]));
  const canonical = JSON.stringify(counted.map((k) => [k, settings[k] ?? null]));
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

export interface NewJob {
  input: string;
  inbox: string;
  relPath: string;
  outputStem: string;
  sha256: string;
  size: number;
  mtimeMs: number;
  settings: JobSettings;
}

/** A job as stored: what intake knows (NewJob) plus its progress through the daemon. */
export interface Job extends NewJob {
  id: number;
  state: JobState;
  cancelRequested: boolean;
  stage: string | null;
  progress: number;
  etaSec: number | null;
  attempts: number;
  notBefore: number;
  error: string | null;
  errorKind: ErrorKind | null;
  degraded: string[];
  notes: string[];
  outputs: string[];
  audioSec: number | null;
  createdAt: number;
  updatedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  /** The original job whose results this one publishes under its own name; null for an original. */
  duplicateOf: number | null;
  /** settingsKey(settings): the same content is a duplicate only under the same key. */
  settingsKey: string;
  /** Retried by hand: write outputs beside the recording even where its subtitle already exists. */
  overwrite: boolean;
}

export interface JobRow {
  id: number;
  input: string;
  inbox: string;
  rel_path: string;
  output_stem: string;
  sha256: string;
  size: number;
  mtime_ms: number;
  settings: string;
  state: JobState;
  cancel_requested: number;
  stage: string | null;
  progress: number;
  eta_sec: number | null;
  attempts: number;
  not_before: number;
  error: string | null;
  error_kind: ErrorKind | null;
  degraded: string | null;
  notes: string | null;
  outputs: string | null;
  audio_sec: number | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  duplicate_of: number | null;
  settings_key: string | null;
  overwrite?: number;
}

export function toJob(r: JobRow): Job {
  const settings = JobSettings.parse(JSON.parse(r.settings));
  return {
    id: r.id,
    input: r.input,
    inbox: r.inbox,
    relPath: r.rel_path,
    outputStem: r.output_stem,
    sha256: r.sha256,
    size: r.size,
    mtimeMs: r.mtime_ms,
    settings,
    state: r.state,
    cancelRequested: r.cancel_requested === 1,
    stage: r.stage,
    progress: r.progress,
    etaSec: r.eta_sec,
    attempts: r.attempts,
    notBefore: r.not_before,
    error: r.error,
    errorKind: r.error_kind,
    degraded: r.degraded ? (JSON.parse(r.degraded) as string[]) : [],
    notes: r.notes ? (JSON.parse(r.notes) as string[]) : [],
    outputs: r.outputs ? (JSON.parse(r.outputs) as string[]) : [],
    audioSec: r.audio_sec,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    duplicateOf: r.duplicate_of,
    settingsKey: r.settings_key ?? settingsKey(settings),
    overwrite: r.overwrite === 1,
  };
}

export function getJob(db: Db, id: number): Job | undefined {
  const row = db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row && toJob(row);
}

/** Insert a new job row made `at` (epoch ms), an original or (with `duplicateOf`) a duplicate; returns its id. */
export function insertJob(db: Db, n: NewJob, row: { at: number; duplicateOf?: number }): number {
  const info = db
    .prepare(
      `INSERT INTO jobs (input, inbox, rel_path, output_stem, output_key, sha256, size, mtime_ms, settings,
      settings_key, duplicate_of, created_at, updated_at) VALUES (@input, @inbox, @relPath, @outputStem, @outputKey,
      @sha256, @size, @mtimeMs, @settings, @settingsKey, @duplicateOf, @now, @now)`,
    )
    .run({
      ...n,
      outputKey: foldName(n.outputStem),
      settings: JSON.stringify(n.settings),
      settingsKey: settingsKey(n.settings),
      duplicateOf: row.duplicateOf ?? null,
      now: row.at,
    });
  return Number(info.lastInsertRowid);
}
