// What the page's API says about a job and about the daemon: the status command's job view plus what the page shows.
import { basename } from 'node:path';
import { jobView, readLiveStatus, refusalView } from '../cli/statusView.js';
import type { Job, JobState, JobStore } from '../store/jobs.js';
import { mediaType } from './mediaRange.js';

export function uiJobView(j: Job) {
  const type = mediaType(j.input);
  return {
    ...jobView(j),
    name: basename(j.relPath),
    relPath: j.relPath,
    media: type.startsWith('video/') ? 'video' : 'audio',
    createdAt: j.createdAt,
    updatedAt: j.updatedAt,
    startedAt: j.startedAt,
    finishedAt: j.finishedAt,
  };
}
export type UiJobView = ReturnType<typeof uiJobView>;

/** The daemon's live status (memory budget and reservations, intake), the counts and the latest refusals. */
export function uiStatus(jobs: JobStore, dataDir: string, counts: Record<JobState, number>) {
  return {
    live: readLiveStatus(dataDir) ?? null,
    counts,
    refused: jobs.refusals.list(50).map(refusalView),
  };
}
