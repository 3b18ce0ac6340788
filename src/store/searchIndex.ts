// SQL on the full-text index of transcripts (FTS5, one row a segment): filled when a job is done or corrected,
// emptied with its job row (the foreign key cascades), searched by the web page and `dropscribe search`.
import { SNIPPET_CLOSE, SNIPPET_OPEN, type SearchHit } from '../core/searchHit.js';
import type { Db } from './db.js';

/** A user's words as an FTS5 query: every word must appear, the last one as a prefix ("interv" finds "interview"). */
export function ftsQuery(q: string): string | undefined {
  const words = q.match(/[\p{L}\p{N}]+/gu);
  if (!words) return undefined;
  return words.map((w, i) => `"${w}"${i === words.length - 1 ? '*' : ''}`).join(' ');
}

export class SearchIndex {
  constructor(private readonly db: Db) {}

  /** Replace the indexed text of a job with these segments. */
  index(jobId: number, segments: { start: number; text: string }[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM search_segments WHERE job_id = ?').run(jobId);
      const insert = this.db.prepare('INSERT INTO search_segments (job_id, segment, start, text) VALUES (?, ?, ?, ?)');
      segments.forEach((s, i) => {
        if (s.text.trim()) insert.run(jobId, i, s.start, s.text.trim());
      });
    })();
  }

  remove(jobId: number): void {
    this.db.prepare('DELETE FROM search_segments WHERE job_id = ?').run(jobId);
  }

  /** The best matches first (FTS5 rank), at most `limit`. */
  search(q: string, limit = 50): SearchHit[] {
    const match = ftsQuery(q);
    if (!match) return [];
    return this.db
      .prepare(
        `SELECT s.job_id AS jobId, j.rel_path AS relPath, s.segment, s.start,
        snippet(search_text, 0, ?, ?, '…', 16) AS snippet
      FROM search_text JOIN search_segments s ON s.id = search_text.rowid JOIN jobs j ON j.id = s.job_id
      WHERE search_text MATCH ? ORDER BY rank LIMIT ?`,
      )
      .all(SNIPPET_OPEN, SNIPPET_CLOSE, match, limit) as SearchHit[];
  }
}
