// Where a recording's outputs go: its inbox-relative folder and name without extension, `name.ext` when another
// recording already publishes under the plain name, `name.ext-<sha8>` when both are taken. Local and team mode alike.
// Names are compared as a Mac's default volume (APFS) compares them: case-folded and NFC-normalized, so two names
// that are one file there never share outputs. A set that cannot take its name takes `name (2)`, `name (3)`, ...
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

/** A name (or path) as APFS compares it: NFC-normalized and case-folded (upper then lower folds ß and SS alike). */
export function foldName(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** The n-th name of a set: `stem` itself, then `stem (2)`, `stem (3)`, ... in the same folder. */
export function numberedStem(stem: string, n: number): string {
  return n <= 1 ? stem : `${stem} (${n})`;
}

/** Extensions of outputs and of subtitles a media library may hold (jobSettings FORMATS is a subset: a test says so). */
const OUTPUT_EXTENSIONS = /\.(srt|vtt|txt|json|docx|md|csv|ass|ssa|sub|lrc|fcpxml)$/i;
const LANGUAGE_TAG = /\.[a-z]{2,3}(-[a-z0-9]+)?$/i;
const ERROR_REPORT = /\.error\.txt$/i;

/** The stems a file name is an output of: name.<format>, name.<language>.<format>, name.error.txt. */
export function outputStemsOf(fileName: string): string[] {
  const ext = OUTPUT_EXTENSIONS.exec(fileName);
  if (!ext || ext.index === 0) return [];
  const stem = fileName.slice(0, ext.index);
  const stems = [stem];
  const tag = LANGUAGE_TAG.exec(stem);
  if (tag && tag.index > 0) stems.push(stem.slice(0, tag.index));
  const error = ERROR_REPORT.exec(fileName);
  if (error && error.index > 0 && !stems.includes(fileName.slice(0, error.index)))
    stems.push(fileName.slice(0, error.index));
  return stems;
}
