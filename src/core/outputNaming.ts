// Where a recording's outputs go: its inbox-relative folder and name without extension, `name.ext` when another
// recording already publishes under the plain name, `name.ext-<sha8>` when both are taken. Local and team mode alike.
import { basename, dirname, extname, join } from 'node:path';

/** The output stems to try in order (relative to the outbox, `/`-separated); the first one not taken wins. */
export function outputStemCandidates(relPath: string, sha256: string): [string, string, string] {
  const rel = relPath.split('\\').join('/');
  const dir = dirname(rel);
  const inDir = (name: string) => (dir === '.' ? name : join(dir, name).split('\\').join('/'));
  const plain = inDir(basename(rel, extname(rel)));
  const withExt = inDir(basename(rel));
  return [plain, withExt, `${withExt}-${sha256.slice(0, 8)}`];
}

/** The first candidate `taken` says no to (the last one when all are taken: its hash makes it the recording's own). */
export async function chooseOutputStem(
  relPath: string,
  sha256: string,
  taken: (stem: string) => boolean | Promise<boolean>,
): Promise<string> {
  const candidates = outputStemCandidates(relPath, sha256);
  for (const stem of candidates.slice(0, -1)) if (!(await taken(stem))) return stem;
  return candidates[2];
}
