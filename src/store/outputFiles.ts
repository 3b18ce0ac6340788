// SQL on output files: each version of each file dropscribe wrote (its sha256), for the recording it belongs to. A file
// is ours while it holds one of its recording's versions: a file the user wrote, or changed since, is not (publisher.ts
// never writes over it). Paths are compared as a Mac compares names (core/outputNaming foldName).
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { foldName } from '../core/outputNaming.js';
import type { Db } from './db.js';

/** Whom a file is written for: the recording (or the refused path), and the job when there is one. */
export interface FileOwner {
  input: string;
  jobId: number | null;
}

interface Version {
  sha256: string | null;
  size: number | null;
  writtenAt: number;
}

/** A file listed by a job before hashes were kept is ours while not modified later than this after its job ended. */
const LEGACY_SLACK_MS = 2000;

export function sha256Of(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

export class OutputFileStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** Record the versions about to be written (before their renames: a crash between leaves the old version, which is
   * recorded too). */
  record(owner: FileOwner, files: readonly { path: string; content: string | Uint8Array }[]): void {
    this.recordVersions(
      owner,
      files.map((f) => ({ path: f.path, sha256: sha256Of(f.content), size: Buffer.byteLength(f.content) })),
    );
  }

  /** Record versions known by their hash: what another host of the team published for the same recording. */
  recordVersions(owner: FileOwner, files: readonly { path: string; sha256: string; size: number }[]): void {
    const insert = this.db.prepare(
      `INSERT INTO output_files (path_key, path, input, job_id, sha256, size, written_at)
      VALUES (@key, @path, @input, @jobId, @sha256, @size, @t)
      ON CONFLICT (path_key, sha256, input) DO UPDATE SET path = excluded.path, job_id = excluded.job_id,
        written_at = excluded.written_at`,
    );
    const t = this.now();
    this.db.transaction(() => {
      for (const f of files)
        insert.run({
          key: foldName(f.path),
          path: f.path,
          input: owner.input,
          jobId: owner.jobId,
          sha256: f.sha256,
          size: f.size,
          t,
        });
    })();
  }

  /** True when the file at `path` is a regular file holding a version written for `input` (links and folders never
   * are; a file listed before hashes were kept is, while it was not modified after its job ended). */
  isOurs(path: string, input: string): boolean {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st?.isFile()) return false;
    const versions = this.db
      .prepare('SELECT sha256, size, written_at AS writtenAt FROM output_files WHERE path_key = ? AND input = ?')
      .all(foldName(path), input) as Version[];
    if (versions.some((v) => v.sha256 === null && st.mtimeMs <= v.writtenAt + LEGACY_SLACK_MS)) return true;
    const sameSize = versions.filter((v) => v.sha256 !== null && v.size === st.size);
    if (!sameSize.length) return false;
    let sha: string;
    try {
      sha = sha256Of(readFileSync(path));
    } catch {
      return false;
    }
    return sameSize.some((v) => v.sha256 === sha);
  }
}
