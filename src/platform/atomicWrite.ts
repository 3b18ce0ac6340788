// Write a small file so that readers see the old or the new version, never a half one.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Write `content` to a temp file beside `path` (creating the folder), then rename it over `path`. Private (0600)
 * unless told: it writes dropscribe's own state (status, lock holder, work files); outputs go through the outbox. */
export function writeFileAtomic(path: string, content: string, mode = 0o600): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, path);
}
