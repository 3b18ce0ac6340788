// A team job: identity (inbox-relative path + content hash, one deterministic id per file), its payload, and how
// pg-boss states read as dropscribe job states.
import { createHash } from 'node:crypto';
import { basename, dirname, extname, join } from 'node:path';
import type { FinishedState, JobState } from '../core/jobStates.js';

export const QUEUE = 'transcribe';

/** What the host that saw the file tells the team; every host maps relPath back to its own inbox. */
export interface TeamJobData {
  relPath: string;
  /** Which of the config's inboxes (by position) holds relPath; 0 when there is one. */
  inboxIndex: number;
  sha256: string;
  size: number;
  mtimeMs: number;
  /** outbox-relative output stem (no extension), the same on every host. */
  outputRel: string;
  /** The transcript settings of the host that enqueued it (JobSettings). */
  settings: Record<string, unknown>;
  enqueuedBy: string;
  /** A job queued again: what the host that finished it published (each output's hash), so the host that runs it now
   * knows those files as dropscribe's own and writes over them, not beside them. */
  published?: PublishedFile[];
}

/** One output a host published: its outbox-relative path and its content's sha256 and size. */
export interface PublishedFile {
  rel: string;
  sha256: string;
  size: number;
}

/** A job handed to this host by fetch: run it, then complete or fail it with this attempt. */
export interface TeamJob extends TeamJobData {
  id: string;
  attempt: number;
  key: string;
}

/** What the finishing host reports; `outcome` distinguishes a published transcript from a published error report. */
export interface TeamResult {
  host: string;
  outcome: FinishedState;
  outputs: string[];
  /** The outputs' hashes (see TeamJobData.published). */
  published?: PublishedFile[];
  degraded?: string[];
  notes?: string[];
  error?: string;
  errorKind?: string;
}

/** The singleton key: the same synced file (same place in the inbox, same bytes) is one job on every Mac. */
export function jobKey(inboxIndex: number, relPath: string, sha256: string): string {
  const rel = relPath.split('\\').join('/');
  return `${inboxIndex ? `${inboxIndex}:` : ''}${rel}#${sha256}`;
}

/** A UUID derived from the key, so a file enqueued again (even after it is done) meets its own row. */
export function jobIdFor(key: string): string {
  const h = createHash('sha256').update(`dropscribe-team:${key}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** outbox-relative stem of a recording: `folder/name` (the caller adds `.ext` variants on a clash). */
export function outputRelFor(relPath: string, keepExtension = false): string {
  const rel = relPath.split('\\').join('/');
  const dir = dirname(rel);
  const name = keepExtension ? basename(rel) : basename(rel, extname(rel));
  return dir === '.' ? name : join(dir, name).split('\\').join('/');
}

export const BOSS_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type BossState = (typeof BOSS_STATES)[number];
/** A team job's state as `status` shows it: a job state like a local one's. */
export type TeamJobState = JobState;

/** pg-boss state plus the finishing host's outcome, as `status` shows it. */
export function teamState(state: BossState, result: Partial<TeamResult> | null | undefined): TeamJobState {
  switch (state) {
    case 'created':
    case 'retry':
      return 'queued';
    case 'active':
      return 'running';
    case 'cancelled':
      return 'canceled';
    case 'failed':
      return 'failed';
    case 'completed':
      return result?.outcome === 'failed' ? 'failed' : result?.outcome === 'canceled' ? 'canceled' : 'done';
  }
}
