// The one writer of outputs, for jobs, duplicates, corrections and error reports, in the outbox or beside a recording.
// Its rule (overwriteRule.ts): a file is written over only while it is ours (recorded when we wrote it, for the same
// recording) and unchanged since; names are compared on the disk as a Mac compares them (case-folded, NFC). Anything
// else in the way keeps its name: beside a recording the job is skipped with a note, in the outbox the whole set takes
// the next free name (`talk (2).srt`, `talk (2).txt`, ...) and the note says so. Each version written is recorded
// before its rename (outputFiles.ts); outbox.ts writes atomically and never through a link out of the folder.
import { rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { numberedStem } from '../core/outputNaming.js';
import { noteWritten, sameNamed, sameNamedFolders } from '../platform/foldedNames.js';
import type { FileOwner, OutputFileStore } from '../store/outputFiles.js';
import type { OutputStemStore } from '../store/outputStems.js';
import { publish, type OutputFile } from './outbox.js';
import { placeSet, type Candidate } from './overwriteRule.js';
import { movedNote, skipNote } from './publishNotes.js';

/** What the publisher reads: the files we wrote, and (for the outbox) the stems other recordings' jobs hold. */
export interface PublishDeps {
  files: OutputFileStore;
  stemInUse?: (stem: string, input: string) => boolean;
}

/** The stores publishing a job's outputs reads: the files we wrote, and the output stems jobs hold. */
export interface PublishStores {
  outputFiles: OutputFileStore;
  stems: OutputStemStore;
}

/** What publishing a job's outputs reads: its files, and the output stems other recordings' jobs hold. */
export function publishDeps(stores: PublishStores): PublishDeps {
  return { files: stores.outputFiles, stemInUse: (stem, input) => stores.stems.isTaken(stem, '', input) };
}

/** A set of outputs: the files one job writes together under one name. */
export interface OutputSet {
  owner: FileOwner;
  /** The folder every write stays inside: the outbox, or the watched folder of a recording (`beside`). */
  root: string;
  /** The name the set wants: a path without extension. */
  stem: string;
  beside: boolean;
  /** How a note names the folder (default: the outbox, or beside the recording). */
  where?: string;
  /** Retried by hand: beside a recording, a set in the way is written under the next free name, not skipped. */
  overwrite: boolean;
  /** The set's files under a stem. */
  files: (stem: string) => OutputFile[];
  /** This recording's files to remove once the set is written, when ours and unchanged (a stale error report). */
  stale?: (stem: string) => string[];
}

export interface Published {
  outputs: string[];
  /** Set when the job was skipped (beside a recording): the file in the way. */
  skipped?: string;
  /** For the job's notes: why it was skipped, or under which name the set went. */
  note?: string;
}

/** Numbered names tried before giving up (an error, never a write over). */
const MAX_NUMBERED = 999;

/** Paths a set would write, looked up below `root` for the recording `input`. */
export interface WayLookup {
  files: OutputFileStore;
  input: string;
  root: string;
  paths: string[];
}

/** The first of `paths` that is there (compared folded) and is not ours for `input`, or undefined. */
export function firstInTheWay(lookup: WayLookup): string | undefined {
  const { files, input, root, paths } = lookup;
  for (const path of paths) {
    for (const dir of sameNamedFolders(root, dirname(path))) {
      const there = sameNamed(dir, basename(path)).find((p) => !files.isOurs(p, input));
      if (there) return there;
    }
  }
  return undefined;
}

function* candidates(deps: PublishDeps, set: OutputSet): Generator<Candidate> {
  for (let n = 1; n <= MAX_NUMBERED; n++) {
    const stem = numberedStem(set.stem, n);
    if (n > 1 && !set.beside && deps.stemInUse?.(stem, set.owner.input)) {
      yield { stem, blocker: stem }; // another recording's job will publish under it
      continue;
    }
    const paths = set.files(stem).map((f) => f.path);
    yield { stem, blocker: firstInTheWay({ files: deps.files, input: set.owner.input, root: set.root, paths }) };
  }
}

/** Publish a set under its name or the next free one, or skip it (beside a recording); `unsynced`: see outbox.ts. */
export function publishSet(deps: PublishDeps, set: OutputSet, unsynced?: Set<string>): Published {
  const place = placeSet({ beside: set.beside, overwrite: set.overwrite }, candidates(deps, set));
  if (place.action === 'skip')
    return { outputs: [], skipped: place.blocker, note: skipNote(set.owner.jobId, place.blocker) };
  const files = set.files(place.stem);
  const outputs = publish(set.root, files, { unsynced, beforeRename: () => deps.files.record(set.owner, files) });
  for (const dir of new Set(outputs.map(dirname)))
    noteWritten(
      dir,
      outputs.filter((o) => dirname(o) === dir).map((o) => basename(o)),
    );
  for (const stale of new Set([set.stem, place.stem].flatMap((s) => set.stale?.(s) ?? []))) {
    for (const p of sameNamed(dirname(stale), basename(stale)))
      if (deps.files.isOurs(p, set.owner.input)) rmSync(p, { force: true });
  }
  return {
    outputs,
    note:
      place.movedFrom &&
      movedNote(
        place.movedFrom.blocker,
        place.stem,
        set.where ?? (set.beside ? 'beside the recording' : 'in the outbox'),
      ),
  };
}
