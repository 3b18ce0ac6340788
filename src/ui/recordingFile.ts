// A job's recording opened for the page to play, as intake takes files: only a regular file whose real path is inside
// a watched inbox (a link to a file inside an inbox counts; a link, or a linked folder, out of them does not), opened
// without following a link (O_NOFOLLOW), so that its last part cannot be swapped for a link after the check.
import { closeSync, constants, fstatSync, openSync, realpathSync } from 'node:fs';
import { isInside } from '../config/config.js';

export type Recording = { fd: number; size: number } | { status: 403 | 410; error: string };

/** Open `input` (`relPath` names it in messages) for reading if it lies inside one of `inboxes`. */
export function openRecording(input: string, relPath: string, inboxes: readonly string[]): Recording {
  const gone = { status: 410, error: `the recording ${relPath} is no longer in the inbox` } as const;
  const outside = {
    status: 403,
    error: `the recording ${relPath} is now a link out of the watched inboxes; dropscribe only reads files inside them`,
  } as const;
  let real: string;
  try {
    real = realpathSync(input);
  } catch {
    return gone;
  }
  if (!inboxes.some((inbox) => isInside(realpathOr(inbox), real))) return outside;
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return gone;
    if (code === 'ELOOP') return outside; // swapped for a link since the check
    throw err;
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    return { status: 403, error: `the recording ${relPath} is not a regular file` };
  }
  return { fd, size: st.size };
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
