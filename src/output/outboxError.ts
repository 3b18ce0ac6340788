// Why the outbox cannot take outputs now, in plain words with the fix: missing (a volume or synced folder that went
// away), read-only, full, or denied. A job that meets it waits; `probeOutbox` tells when the outbox is back.
import { accessSync, constants, statSync } from 'node:fs';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';
import { freeBytes } from '../resources/diskSpace.js';

export type OutboxProblem = 'missing' | 'not-a-folder' | 'read-only' | 'full' | 'denied' | 'refused' | 'other';

/** Below this much free space the outbox counts as full for the probe. */
const PROBE_MIN_FREE_BYTES = 1024 ** 2;

const FIX: Record<OutboxProblem, (outbox: string) => string> = {
  missing: (o) =>
    `the outbox folder ${o} is not there (a disk, network share or synced folder that is not mounted?). ` +
    'Connect it again, or create the folder; dropscribe never creates it while it runs, and publishes as soon as it is back',
  'not-a-folder': (o) => `${o} is not a folder; move the file away or set another outbox`,
  'read-only': (o) => `the outbox ${o} is read-only; make it writable (or mount its volume read-write)`,
  full: (o) => `the disk is full where the outbox ${o} is; free some space on it`,
  denied: (o) =>
    process.platform === 'darwin'
      ? `macOS denied access to the outbox ${o}. ${fullDiskAccessHint()}`
      : `no permission to write into the outbox ${o}; fix its permissions`,
  refused: () => 'the path is outside the outbox',
  other: (o) => `the outbox ${o} cannot be written to`,
};

export class OutboxError extends Error {
  override name = 'OutboxError';
  /** `detail`: the system's words, shown after the fix; `cause`: the error met. */
  constructor(
    readonly problem: OutboxProblem,
    readonly outbox: string,
    { detail, cause }: { detail?: string; cause?: unknown } = {},
  ) {
    super(`waiting for outbox: ${FIX[problem](outbox)}${detail ? ` (${detail})` : ''}`, { cause });
  }
}

/** A write that would leave the folder it belongs in (the outbox, or a recording's watched folder) through a link:
 * never done, and not something to wait for (a job meeting it fails with this message). */
export class OutputRefusedError extends Error {
  override name = 'OutputRefusedError';
  constructor(
    readonly path: string,
    readonly root: string,
    why: string,
  ) {
    super(
      `refusing to write ${path}: ${why}. dropscribe never writes through a link out of ${root}; ` +
        'replace the link with a folder (or move it away) and retry the job',
    );
  }
}

/** The problem an errno from a write below the outbox means. */
export function problemOf(code: string | undefined): OutboxProblem {
  switch (code) {
    case 'ENOENT':
      return 'missing';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'not-a-folder';
    case 'EROFS':
      return 'read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'full';
    case 'EACCES':
    case 'EPERM':
      return 'denied';
    default:
      return 'other';
  }
}

/** Why the outbox cannot take outputs now, or undefined when it can (it is a writable folder with room). */
export function probeOutbox(outbox: string): OutboxError | undefined {
  try {
    if (!statSync(outbox).isDirectory()) return new OutboxError('not-a-folder', outbox);
    accessSync(outbox, constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return new OutboxError(problemOf(code), outbox, { detail: code });
  }
  const free = freeBytes(outbox);
  if (free !== undefined && free < PROBE_MIN_FREE_BYTES) return new OutboxError('full', outbox);
  return undefined;
}
