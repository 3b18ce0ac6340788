// Judges candidate files complete (size and mtime unchanged for a quiet period, not a cloud placeholder, not
// still arriving per arrival.ts), hashes them and enqueues jobs (known content with the same transcript settings
// becomes a duplicate with its own row). Refused inputs (symlinks out of the inbox, folders) are recorded as refusals
// (store/refusals.ts), never read, and get a report.
import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { platform } from 'node:os';
import { execFile } from 'node:child_process';
import { inboxOf, isInside, settingsFor, type Config } from '../config.js';
import type { EnqueueResult, JobStore } from '../store/jobs.js';
import type { Logger } from '../platform/log.js';
import { icloudPlaceholderTarget, skipReason } from './inputFilter.js';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';
import { CHANGED_REASON, stillArriving } from './arrival.js';
import { isDiskFull } from '../resources/diskFull.js';
import type { NewJob } from '../store/jobRow.js';
import type { Refusal } from '../store/refusals.js';
import { TeamOfflineError } from '../team/connectionError.js';
import type { TeamIntake } from '../team/teamIntake.js';

export type IntakeOutcome = EnqueueResult['status'] | 'refused' | 'ignored' | 'known';

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

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class Intake {
  private pending = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private placeholdersSeen = new Set<string>();
  paused = false;

  constructor(
    private readonly config: Config,
    private readonly jobs: JobStore,
    private readonly log: Logger,
    private readonly onQueued: () => void,
    private readonly onRefused: (refused: RefusedInput) => void = () => {},
    /** Team mode: complete files become team jobs (team/teamIntake.ts) instead of local rows. */
    private readonly team?: TeamIntake,
    private readonly onDiskFull: (err: unknown) => void = () => {}, // the file stays pending; intake pauses
  ) {}

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
    this.pending.set(path, {
      size: st.size,
      mtimeMs: st.mtimeMs,
      since: this.jobs.now(),
      downloadRequested: prev?.downloadRequested ?? false,
    });
  }

  /** Check every pending file; enqueue those that stayed unchanged for the quiet period. */
  async poll(): Promise<void> {
    if (this.busy || this.paused) return;
    this.busy = true;
    try {
      const now = this.jobs.now(); // the store's clock: one fake clock drives both in tests
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
    const known = this.jobs.findByFileStamp(path, st.size, Math.round(st.mtimeMs));
    if (known || this.team?.knows(path, st.size, st.mtimeMs)) return 'known';
    const sha256 = await sha256File(real);
    const after = statSync(real);
    if (after.size !== st.size || after.mtimeMs !== st.mtimeMs) {
      this.consider(path); // changed while hashing: wait again
      return 'ignored';
    }
    const relPath = relative(inbox, path);
    if (this.team)
      return this.enqueueForTeam(this.team, path, {
        input: path,
        inbox,
        relPath,
        outputStem: '',
        sha256,
        size: st.size,
        mtimeMs: Math.round(st.mtimeMs),
        settings: settingsFor(this.config, inbox, path),
      });
    for (const id of this.jobs.activeJobsForInput(path, sha256)) {
      this.log.info({ jobId: id, file: relPath }, 'the file changed; canceling the job made from its old content');
      this.jobs.cancel(id, CHANGED_REASON);
    }
    const result = this.jobs.enqueue({
      input: path,
      inbox,
      relPath,
      outputStem: this.outputStem(path, relPath, sha256),
      sha256,
      size: st.size,
      mtimeMs: Math.round(st.mtimeMs),
      settings: settingsFor(this.config, inbox, path),
    });
    this.log.info(
      { jobId: result.job.id, file: relPath, status: result.status, duplicateOf: result.job.duplicateOf ?? undefined },
      result.status === 'duplicate'
        ? 'same content as an earlier job: its results will be published under this name'
        : 'queued',
    );
    this.onQueued();
    return result.status;
  }

  /** Team mode: the team queue takes the file; while its database is away the file waits here and is tried again. */
  private async enqueueForTeam(team: TeamIntake, path: string, n: NewJob): Promise<IntakeOutcome> {
    try {
      const status = await team.enqueue(n);
      if (status === 'queued') this.onQueued();
      return status;
    } catch (err) {
      if (!(err instanceof TeamOfflineError)) throw err;
      this.consider(path);
      return 'ignored';
    }
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

  /** outbox/<folder>/<name> without extension; `name.ext` when another recording already uses the plain name. */
  private outputStem(input: string, relPath: string, sha256: string): string {
    const earlier = this.jobs.stemForInput(input);
    if (earlier) return earlier;
    const dir = join(this.config.outbox, dirname(relPath));
    const plain = join(dir, basename(relPath, extname(relPath)));
    if (!this.jobs.isOutputStemTaken(plain, sha256, input)) return plain;
    const withExt = join(dir, basename(relPath));
    if (!this.jobs.isOutputStemTaken(withExt, sha256, input)) return withExt;
    return `${withExt}-${sha256.slice(0, 8)}`;
  }

  private refuse(path: string, inbox: string, reason: string): IntakeOutcome {
    // A path outside every inbox is its own "inbox": its report is named after the file, inside the outbox.
    const relPath = path !== inbox && isInside(inbox, path) ? relative(inbox, path) : basename(path);
    const refusal = this.jobs.refusals.record({ path, inbox, reason });
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
