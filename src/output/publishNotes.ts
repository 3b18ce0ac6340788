// What a job's notes say when the overwrite rule kept a file: the job skipped beside a recording, or its outputs
// written under a free name.
import { basename } from 'node:path';

/** Skipped beside a recording: `path` is there, and dropscribe did not write it (or it was changed since). */
export function skipNote(jobId: number | null, path: string): string {
  const retry = jobId === null ? '' : ` (dropscribe retry ${jobId} writes beside it, never over it)`;
  return `skipped: ${basename(path)} is already beside the recording${retry}`;
}

/** Written under `stem`'s name because `blocker` was in the way (`where`: beside the recording, in the outbox, ...). */
export function movedNote(blocker: string, stem: string, where: string): string {
  return (
    `${basename(blocker)} ${where} was not written by dropscribe or was ` +
    `changed since: it is kept as it is, and these outputs are named ${basename(stem)}.*`
  );
}
