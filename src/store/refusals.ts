// SQL on refusals: inputs refused at intake (a symbolic link out of the inbox, a folder named like a recording, a
// path outside every inbox). They were never read, so they are not jobs; each gets its error report once.
import type { Db } from './db.js';
import { OutputFileStore } from './outputFiles.js';

export interface Refusal {
  id: number;
  path: string;
  inbox: string;
  reason: string;
  /** The error report in the outbox; null until written (or when it could not be). */
  report: string | null;
  at: number;
}

const COLUMNS = 'id, path, inbox, reason, report, created_at AS at';

export class RefusalStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
    /** The reports' files are recorded there, like every output (output/publisher.ts). */
    readonly outputFiles = new OutputFileStore(db, now),
  ) {}

  /** Record a refusal; undefined when this path was refused before (a refusal is reported once). */
  record(r: { path: string; inbox: string; reason: string }): Refusal | undefined {
    const info = this.db
      .prepare('INSERT OR IGNORE INTO refusals (path, inbox, reason, created_at) VALUES (?, ?, ?, ?)')
      .run(r.path, r.inbox, r.reason, this.now());
    if (!info.changes) return undefined;
    return this.db.prepare(`SELECT ${COLUMNS} FROM refusals WHERE id = ?`).get(info.lastInsertRowid) as Refusal;
  }

  /** The error report written for refusal `id`. */
  setReport(id: number, report: string): void {
    this.db.prepare('UPDATE refusals SET report = ? WHERE id = ?').run(report, id);
  }

  /** The latest refusals, newest first. */
  list(limit = 200): Refusal[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM refusals ORDER BY id DESC LIMIT ?`).all(limit) as Refusal[];
  }

  /** Drop refusals recorded before `beforeMs`. Returns how many. */
  deleteBefore(beforeMs: number): number {
    return this.db.prepare('DELETE FROM refusals WHERE created_at < ?').run(beforeMs).changes;
  }
}
