// `dropscribe speakers JOB S1=Alice`: the names as corrections of kind 'speaker', published like the web page's
// (republish.ts), so both keep them in one place: the job's corrected transcript.
import type { Correction } from './corrections.js';

export class RenameError extends Error {
  override name = 'RenameError';
}

/** `S1=Alice` pairs as speaker corrections; an argument of another shape is refused. */
export function parseNames(args: readonly string[]): Correction[] {
  return args.map((arg) => {
    const m = /^(S[0-9]+)=(.+)$/.exec(arg);
    if (!m) throw new RenameError(`"${arg}" is not SPEAKER=NAME (for example S1=Alice)`);
    return { kind: 'speaker', id: m[1]!, name: m[2]!.trim() };
  });
}
