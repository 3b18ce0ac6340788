// SQL on output stems: where in the outbox each job's outputs go, compared as a Mac compares names (core/outputNaming
// foldName, stored in jobs.output_key): `Interview` and `interview` are one name there.
import { foldName } from '../core/outputNaming.js';
import type { Db } from './db.js';

export class OutputStemStore {
  constructor(private readonly db: Db) {}

  /** The output stem the latest job of this input path used, so a re-saved file updates the same outputs. */
  forInput(input: string): string | undefined {
    const r = this.db
      .prepare('SELECT output_stem AS s FROM jobs WHERE input = ? ORDER BY id DESC LIMIT 1')
      .get(input) as { s: string } | undefined;
    return r?.s;
  }

  /** True when a job of another input already publishes to this output stem, compared folded; a canceled original of
   * the same content does not count (enqueue reuses its row). */
  isTaken(stem: string, sha256: string, input: string): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM jobs WHERE output_key = ? AND input != ?
      AND NOT (sha256 = ? AND duplicate_of IS NULL AND state = 'canceled') LIMIT 1`,
        )
        .get(foldName(stem), input, sha256) !== undefined
    );
  }
}
