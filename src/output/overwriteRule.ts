// The overwrite rule, as a pure decision: a set of outputs is written under its name when none of its files is in the
// way (each is absent, or ours and unchanged); otherwise beside a recording the job is skipped (a retry, asked for by
// hand, writes it under the next free name), and in the outbox the whole set takes the next free name. Nothing that is
// in the way is ever written over. publisher.ts looks at the disk and applies it.

/** A name the set could take, and the first of its files in the way there (not ours, or changed since), if any. */
export interface Candidate {
  stem: string;
  blocker?: string;
}

export type Placement =
  | { action: 'write'; stem: string; movedFrom?: { stem: string; blocker: string } }
  | { action: 'skip'; blocker: string };

/** Where the set goes: the first candidate is its own name, the others the free names to try in order (read lazily:
 * each is looked up on the disk). */
export function placeSet(where: { beside: boolean; overwrite: boolean }, candidates: Iterable<Candidate>): Placement {
  let first: Required<Candidate> | undefined;
  for (const c of candidates) {
    if (!c.blocker)
      return first ? { action: 'write', stem: c.stem, movedFrom: first } : { action: 'write', stem: c.stem };
    if (first) continue;
    first = { stem: c.stem, blocker: c.blocker };
    if (where.beside && !where.overwrite) return { action: 'skip', blocker: c.blocker };
  }
  throw new Error(`no free name for the outputs of ${first?.stem ?? 'an empty set'}`);
}
