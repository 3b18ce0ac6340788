// Judges candidate files complete (size and mtime unchanged for a quiet period, not a cloud placeholder, not
// still arriving per arrival.ts), hashes them and hands them to the job source (queue/jobSource.ts), which names
// their outputs and knows duplicates. Refused inputs (symlinks out of the inbox, folders) are recorded as refusals
// (store/refusals.ts), never read, and get a report.
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { platform } from 'node:os';
import { execFile } from 'node:child_process';
import { inboxOf, isInside, settingsFor, type Config } from '../config/config.js';
import type { EnqueueStatus, JobSource } from '../queue/jobSource.js';
import type { Logger } from '../platform/log.js';
import { icloudPlaceholderTarget, skipReason } from './inputFilter.js';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';
import { sha256File } from '../platform/hashFile.js';
import { stillArriving } from './arrival.js';
import { isDiskFull } from '../resources/diskFull.js';
import type { Refusal, RefusalStore } from '../store/refusals.js';

export type IntakeOutcome = Exclude<EnqueueStatus, 'waiting'> | 'refused' | 'ignored';

/** A refusal just recorded, with the name its report takes (where its outputs would have gone). */
export interface RefusedInput {
  refusal: Refusal;
  relPath: string;
  outputStem: string;
}

interface Pending {
  size: number;
  mtimeMs: number;
  since: number;
  downloadRequested: boolean;
  /** Still arriving: when to look again, and whether that was logged. */
  recheckAt?: number;
  arrivingLogged?: boolean;
}

/** An iCloud/Dropbox "dataless" file: full size reported, no blocks on disk; reading it triggers a download. */
export function isDataless(st: Stats, os: NodeJS.Platform = platform()): boolean {
  return os === 'darwin' && st.size > 0 && st.blocks === 0;
}

export interface IntakeOptions {
  config: Config;
  /** Where files judged complete go as jobs. */
  source: JobSource;
  /** Where refused inputs are recorded. */
  refusals: RefusalStore;
  log: Logger;
  /** A file became a job (queued or a duplicate). */
  onQueued: () => void;
  /** An input was refused and recorded: its report is written. */
  onRefused?: (refused: RefusedInput) => void;
  /** The disk is full: the file stays pending; intake pauses. */
  onDiskFull?: (err: unknown) => void;
  /** The quiet period's clock (tests pass the fake clock their store has). */
  now?: () => number;
}

export class Intake {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private placeholdersSeen = new Set<string>();
  paused = false;

  private readonly config: Config;
  private readonly source: JobSource;
  private readonly refusals: RefusalStore;
  private readonly log: Logger;
  private readonly onQueued: () => void;
  private readonly onRefused: (refused: RefusedInput) => void;
  private readonly onDiskFull: (err: unknown) => void;
  private readonly now: () => number;

  constructor(o: IntakeOptions) {
    this.config = o.config;
    this.source = o.source;
    this.refusals = o.refusals;
    this.log = o.log;
    this.onQueued = o.onQueued;
    this.onRefused = o.onRefused ?? (() => {});
    this.onDiskFull = o.onDiskFull ?? (() => {});
    this.now = o.now ?? Date.now;
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.config.stability.pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.pending.clear();
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** A path the watcher saw added or changed: start (or restart) its quiet period. */
  consider(path: string): void {
    const placeholderFor = icloudPlaceholderTarget(path);
    if (placeholderFor) {
      if (!this.paused && platform() === 'darwin' && !this.placeholdersSeen.has(path)) {
        // An old-style iCloud placeholder: ask for the real file; it is picked up when it appears.
        this.placeholdersSeen.add(path);
        this.requestDownload(join(dirname(path), placeholderFor));
      }
      return;
    }
    if (this.paused || skipReason(path)) return;
    let st: Stats;
    try {
      st = lstatSync(path);
    } catch {
      this.pending.delete(path);
      return;
    }
    const prev = this.pending.get(path);
    if (prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs) return;
    if (!prev) this.log.debug({ path }, 'seen'); // files are admitted in the order they were first seen
    this.pending.set(path, {
      size: st.size,
      mtimeMs: st.mtimeMs,
      since: this.now(),
      downloadRequested: prev?.downloadRequested ?? false,
    });
  }

  /** Check every pending file; enqueue those that stayed unchanged for the quiet period. */
  async poll(): Promise<void> {
    if (this.busy || this.paused) return;
    this.busy = true;
    try {
      const now = this.now();
      for (const [path, p] of [...this.pending]) {
        let st: Stats;
        try {
          st = lstatSync(path);
        } catch {
          this.pending.delete(path); // gone before it was complete
          continue;
        }
        if (st.size !== p.size || st.mtimeMs !== p.mtimeMs) {
          this.pending.set(path, {
            ...p,
            size: st.size,
            mtimeMs: st.mtimeMs,
            since: now,
            recheckAt: undefined,
            arrivingLogged: false,
          });
          continue;
        }
        if (now - p.since < this.config.stability.quietMs || now < (p.recheckAt ?? 0)) continue;
        if (!st.isSymbolicLink() && isDataless(st)) {
          if (!p.downloadRequested) this.requestDownload(path);
          this.pending.set(path, { ...p, downloadRequested: true, since: now });
          continue;
        }
        if (st.isFile() && (await this.waitingForArrival(path, st, p, now))) continue;
        this.pending.delete(path);
        await this.admit(path).catch((err: NodeJS.ErrnoException) => {
          if (isDiskFull(err)) {
            this.pending.set(path, { ...p, since: now }); // taken when there is space again
            return this.onDiskFull(err);
          }
          this.log.error(
            { path, err: err.message, hint: err.code === 'EPERM' ? fullDiskAccessHint() : undefined },
            'intake failed',
          );
        });
      }
    } finally {
      this.busy = false;
    }
  }

  /** Enqueue one complete file. Also used by `dropscribe enqueue`. */
  async admit(path: string): Promise<IntakeOutcome> {
    const inbox = inboxOf(this.config, path);
    if (!inbox) return this.refuse(path, path, 'the file is not inside a watched inbox');
    if (skipReason(path)) return 'ignored';
    let st = lstatSync(path);
    let real = path;
    if (st.isSymbolicLink()) {
      try {
        real = realpathSync(path);
      } catch {
        return this.refuse(path, inbox, 'the symbolic link points to nothing');
      }
      if (!this.config.inboxes.some((i) => isInside(realpathOrSelf(i), real))) {
        return this.refuse(
          path,
          inbox,
          'the symbolic link points outside the inbox; dropscribe only reads files inside its inboxes',
        );
      }
      st = statSync(real);
    }
    if (st.isDirectory()) return this.refuse(path, inbox, 'this is a folder, not a recording');
    if (!st.isFile()) return this.refuse(path, inbox, 'this is not a regular file');
    if (this.source.knows(path, st.size, st.mtimeMs)) return 'known';
    const sha256 = await sha256File(real);
    const after = statSync(real);
    if (after.size !== st.size || after.mtimeMs !== st.mtimeMs) {
      this.consider(path); // changed while hashing: wait again
      return 'ignored';
    }
    const status = await this.source.enqueue({
      input: path,
      inbox,
      relPath: relative(inbox, path),
      sha256,
      size: st.size,
      mtimeMs: Math.round(st.mtimeMs),
      settings: settingsFor(this.config, inbox, path),
    });
    if (status === 'waiting') {
      this.consider(path); // the source is unreachable now (the team database is away): try again later
      return 'ignored';
    }
    if (status !== 'known') this.onQueued();
    return status;
  }

  /** True (and the file stays pending) while a quiet file is still arriving: a Finder copy, a short WAV/AIFF header. */
  private async waitingForArrival(path: string, st: Stats, p: Pending, now: number): Promise<boolean> {
    const arriving = await stillArriving(path, st, {
      os: platform(),
      quietForMs: now - p.since,
      settleMs: this.config.stability.settleSec * 1000,
    });
    if (!arriving) {
      if (p.arrivingLogged)
        this.log.info({ path }, 'taking a file that looked unfinished: it has not changed for the settle time');
      return false;
    }
    if (!p.arrivingLogged) this.log.info({ path, why: arriving.reason }, 'the file is still arriving; waiting');
    this.pending.set(path, {
      ...p,
      arrivingLogged: true,
      recheckAt: now + Math.max(1000, this.config.stability.quietMs),
    });
    return true;
  }

  private refuse(path: string, inbox: string, reason: string): IntakeOutcome {
    // A path outside every inbox is its own "inbox": its report is named after the file, inside the outbox.
    const relPath = path !== inbox && isInside(inbox, path) ? relative(inbox, path) : basename(path);
    const refusal = this.refusals.record({ path, inbox, reason });
    this.log.warn({ path, reason }, 'refused');
    const outputStem = join(this.config.outbox, dirname(relPath), basename(relPath, extname(relPath)));
    if (refusal) this.onRefused({ refusal, relPath, outputStem });
    return 'refused';
  }

  private requestDownload(path: string): void {
    this.log.info({ path }, 'file is in iCloud/Dropbox but not downloaded yet; asking for it and waiting');
    execFile('/usr/bin/brctl', ['download', path], (err) => {
      if (err) this.log.debug({ path, err: err.message }, 'brctl download failed; waiting for the sync client');
    });
  }
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
