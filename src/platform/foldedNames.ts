// A folder's names as a Mac's default volume compares them (case-folded, NFC-normalized), read from the disk: this
// checks what is really there, and on a case-sensitive disk finds the names that would be one file on APFS. Listings
// are kept per folder while the folder is unchanged (its mtime and ctime), and our own writes are added to them, so a
// flood of outputs into one folder does not list it again for each.
import { lstatSync, readdirSync, type BigIntStats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { foldName, outputStemsOf } from '../core/outputNaming.js';

interface Listing {
  stamp: string;
  /** folded name -> the names on disk */
  names: Map<string, string[]>;
  /** folded stem -> the names on disk that are outputs of it (core/outputNaming outputStemsOf) */
  outputs: Map<string, string[]>;
  dirs: Set<string>;
}

const MAX_FOLDERS = 64;
const listings = new Map<string, Listing>();

function stampOf(st: BigIntStats): string {
  return `${st.ino}:${st.mtimeNs}:${st.ctimeNs}`;
}

function add(map: Map<string, string[]>, key: string, name: string): void {
  const list = map.get(key);
  if (!list) map.set(key, [name]);
  else if (!list.includes(name)) list.push(name);
}

function addName(l: Listing, name: string): void {
  add(l.names, foldName(name), name);
  for (const stem of outputStemsOf(name)) add(l.outputs, foldName(stem), name);
}

/** The listing of `dir`, or undefined when it is not a folder. */
function listing(dir: string): Listing | undefined {
  let st: BigIntStats | undefined;
  try {
    st = lstatSync(dir, { bigint: true });
  } catch {
    return undefined;
  }
  if (!st.isDirectory()) return undefined;
  const stamp = stampOf(st);
  const kept = listings.get(dir);
  if (kept?.stamp === stamp) return kept;
  const l: Listing = { stamp, names: new Map(), outputs: new Map(), dirs: new Set() };
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      addName(l, e.name);
      if (e.isDirectory()) l.dirs.add(e.name);
    }
  } catch {
    return undefined;
  }
  listings.delete(dir);
  if (listings.size >= MAX_FOLDERS) listings.delete(listings.keys().next().value!);
  listings.set(dir, l);
  return l;
}

/** The paths in `dir` whose names are `name` once folded (none when `dir` is not a folder). */
export function sameNamed(dir: string, name: string): string[] {
  return (listing(dir)?.names.get(foldName(name)) ?? []).map((n) => join(dir, n));
}

/** The paths in `dir` named as outputs of `stem` (a file name without extension), compared folded. */
export function outputsNamed(dir: string, stem: string): string[] {
  return (listing(dir)?.outputs.get(foldName(stem)) ?? []).map((n) => join(dir, n));
}

/** The folders below `root` that are `dir` once each name is folded: `dir` itself if it exists, and on a
 * case-sensitive disk its twins (`Talks` for `talks`). Links are not followed. */
export function sameNamedFolders(root: string, dir: string): string[] {
  let found = [root];
  for (const part of relative(root, dir).split(sep).filter(Boolean)) {
    const key = foldName(part);
    found = found.flatMap((at) => {
      const l = listing(at);
      return (l?.names.get(key) ?? []).filter((n) => l!.dirs.has(n)).map((n) => join(at, n));
    });
  }
  return found;
}

/** Our own files just renamed into `dir`: added to its listing if it was current before them. */
export function noteWritten(dir: string, names: readonly string[]): void {
  const kept = listings.get(dir);
  if (!kept) return;
  try {
    kept.stamp = stampOf(lstatSync(dir, { bigint: true }));
    for (const n of names) addName(kept, n);
  } catch {
    listings.delete(dir);
  }
}
