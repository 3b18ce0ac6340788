// What the page's API says about a job and about the daemon (the live status the dispatcher writes, the counts and
// the latest refusals).
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { JobState } from '../core/jobStates.js';
import type { Job } from '../store/jobRow.js';
import type { RefusalStore } from '../store/refusals.js';
import { waitingView } from '../store/waitingJobs.js';
import { mediaType } from './mediaRange.js';

export function uiJobView(j: Job) {
  return {
    id: j.id,
    name: basename(j.relPath),
    relPath: j.relPath,
    input: j.input,
    state: j.state,
    stage: j.stage,
    progress: Math.round(j.progress * 100) / 100,
    etaSec: j.etaSec,
    error: j.error,
    errorKind: j.errorKind,
    waiting: waitingView(j),
    degraded: j.degraded,
    notes: j.notes,
    outputs: j.outputs,
    audioSec: j.audioSec,
    attempts: j.attempts,
    duplicateOf: j.duplicateOf,
    media: mediaType(j.input).startsWith('video/') ? 'video' : 'audio',
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
  };
}
export type UiJobView = ReturnType<typeof uiJobView>;

/** The daemon's status file as text ('null' while there is none): the live feed compares it, the API parses it. */
export function readStatusText(dataDir: string): string {
  try {
    return readFileSync(join(dataDir, 'status.json'), 'utf8');
  } catch {
    return 'null';
  }
}

/** The daemon's live status (memory budget and reservations, intake), the counts and the latest refusals. */
export function uiStatus(refusals: RefusalStore, dataDir: string, counts: Record<JobState, number>) {
  let live: unknown = null;
  try {
    live = JSON.parse(readStatusText(dataDir));
  } catch {
    /* being replaced: the next look has it */
  }
  return { live, counts, refused: refusals.list(50) };
}
