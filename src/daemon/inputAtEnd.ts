// What a finished transcription does about its file, looked at again before anything is published: changed (a
// re-save, a replacement: publish nothing, its new content has a job of its own), renamed inside an inbox (publish
// under the new name only), deleted or moved away (publish, with a note), or the same.
import { CHANGED_REASON, GONE_NOTE } from '../core/inputChanges.js';
import { inputState } from '../platform/inputStamp.js';
import type { Job, JobStore } from '../store/jobs.js';

export type InputAtEnd =
  | { action: 'publish'; note?: string }
  | { action: 'cancel'; reason: string }
  | { action: 'renamed'; to: Job; note: string };

export function inputAtEnd(job: Job, jobs: JobStore): InputAtEnd {
  const state = inputState(job);
  if (state === 'same') return { action: 'publish' };
  if (state === 'changed') return { action: 'cancel', reason: CHANGED_REASON };
  // Gone from its path: renamed inside an inbox shows as a duplicate (same content) whose file is there.
  const to = jobs.duplicates.of(job.id).find((d) => d.state === 'queued' && inputState(d) === 'same');
  if (to)
    return {
      action: 'renamed',
      to,
      note: `renamed to ${to.relPath} while it was transcribed: its outputs are published under the new name (job #${to.id})`,
    };
  return { action: 'publish', note: GONE_NOTE };
}
