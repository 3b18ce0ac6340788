// Results of team jobs that finished while the database was away, kept (in a file in the data folder) until they
// are replayed, so a restart during an outage loses none.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import type { TeamResult } from './teamJob.js';

export interface PendingResult {
  kind: 'finish' | 'release';
  id: string;
  attempt: number;
  result?: TeamResult;
}

export class PendingResults {
  private items: PendingResult[];

  constructor(private readonly file?: string) {
    this.items = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PendingResult[]) : [];
  }

  list(): PendingResult[] {
    return [...this.items];
  }

  get size(): number {
    return this.items.length;
  }

  add(p: PendingResult): void {
    if (this.items.some((i) => same(i, p))) return;
    this.items.push(p);
    this.save();
  }

  remove(p: PendingResult): void {
    const before = this.items.length;
    this.items = this.items.filter((i) => !same(i, p));
    if (this.items.length !== before) this.save();
  }

  private save(): void {
    if (!this.file) return;
    if (this.items.length) writeFileAtomic(this.file, JSON.stringify(this.items), 0o600);
    else rmSync(this.file, { force: true });
  }
}

function same(a: PendingResult, b: PendingResult): boolean {
  return a.id === b.id && a.attempt === b.attempt && a.kind === b.kind;
}
