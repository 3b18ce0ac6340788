// SQL on corrections: the transcript as the user corrected it in the web page. The original stays in
// job_documents; what is published (and kept by a retry) is the corrected one.
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import type { Db } from './db.js';

export class CorrectionStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The corrected transcript of a job, if the user corrected it. */
  get(jobId: number): { document: TranscriptDocument; editedAt: number } | undefined {
    const row = this.db
      .prepare('SELECT document, edited_at AS editedAt FROM job_corrections WHERE job_id = ?')
      .get(jobId) as { document: string; editedAt: number } | undefined;
    return row && { document: JSON.parse(row.document) as TranscriptDocument, editedAt: row.editedAt };
  }

  save(jobId: number, document: TranscriptDocument): void {
    this.db
      .prepare('INSERT OR REPLACE INTO job_corrections (job_id, document, edited_at) VALUES (?, ?, ?)')
      .run(jobId, JSON.stringify(document), this.now());
  }

  /** The corrected transcript was published as `outputs` (under a free name when a file of the user's was in the
   * way: `note` says so, added to the job's notes once). */
  published(jobId: number, outputs: string[], note?: string): void {
    const row = this.db.prepare('SELECT notes FROM jobs WHERE id = ?').get(jobId) as { notes: string | null };
    const notes = row?.notes ? (JSON.parse(row.notes) as string[]) : [];
    if (note && !notes.includes(note)) notes.push(note);
    this.db
      .prepare('UPDATE jobs SET outputs = ?, notes = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(outputs), notes.length ? JSON.stringify(notes) : null, this.now(), jobId);
  }

  /** The transcript as the recognizer wrote it (kept when the job finished). */
  original(jobId: number): TranscriptDocument | undefined {
    const row = this.db.prepare('SELECT document FROM job_documents WHERE job_id = ?').get(jobId) as
      { document: string } | undefined;
    return row && (JSON.parse(row.document) as TranscriptDocument);
  }

  /** What the job publishes: the corrected transcript, else the original. */
  current(jobId: number): TranscriptDocument | undefined {
    return this.get(jobId)?.document ?? this.original(jobId);
  }
}
