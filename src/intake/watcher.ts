// chokidar -> candidate paths for intake. Files already present at start-up are reported too, and a
// periodic rescan catches anything a missed file-system event would lose. An inbox deleted and created again (or
// a volume mounted again) is a new folder: it is watched again and walked at once. At start the files chokidar's first
// scan finds are held until it is ready and then reported in a walk's order (by name, where the scan's is the file
// system's); the walk also finds a file that landed while chokidar started (after its first read of a folder, before
// that folder's watch was set), which raises no event and would otherwise wait for the periodic rescan.
import chokidar, { type FSWatcher } from 'chokidar';
import { statSync } from 'node:fs';
import type { Logger } from '../platform/log.js';
import { walkFiles } from '../platform/walkFiles.js';
import { BurstRescan } from './burstRescan.js';
import { icloudPlaceholderTarget, skipFolder, skipReason } from './inputFilter.js';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';

const MAX_DEPTH = 20; // sub-folder levels a rescan walks
const INBOX_CHECK_MS = 2_000; // how often each inbox folder is checked for being gone or new

/** An inbox folder's identity (device, inode and creation time: a folder made again at once may get the same inode
 * number), or undefined while it is missing. */
function folderId(path: string): string | undefined {
  try {
    const st = statSync(path);
    return st.isDirectory() ? `${st.dev}:${st.ino}:${st.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

export class InboxWatcher {
  private watcher: FSWatcher | undefined;
  private readonly ids = new Map<string, string | undefined>();
  private checkTimer: NodeJS.Timeout | undefined;
  /** The files reported since the last burst settled: the walk after a burst reports only the others. */
  private readonly seenInBurst = new Set<string>();
  /** The files chokidar reported before 'ready', held back: the walk at 'ready' reports them in name order. */
  private heldAtStart: Set<string> | undefined = new Set<string>();
  private readonly burst = new BurstRescan(
    (events) => {
      const found = this.inboxes.reduce((n, inbox) => n + this.rescanOne(inbox, this.seenInBurst), 0);
      this.seenInBurst.clear();
      this.log.info(
        { events, found },
        'a burst of new files: walked the inboxes for the ones file-system events missed',
      );
    },
    () => this.seenInBurst.clear(),
  );

  constructor(
    private readonly inboxes: string[],
    private readonly onCandidate: (path: string) => void,
    private readonly log: Logger,
    /** chokidar's `watch`; a test gives one whose first scan misses files. */
    private readonly watch: typeof chokidar.watch = chokidar.watch,
  ) {}

  async start(): Promise<void> {
    this.watcher = this.watch(this.inboxes, {
      ignoreInitial: false,
      followSymlinks: false,
      persistent: true,
      depth: 20,
      ignored: (path, stats) => {
        if (this.inboxes.includes(path)) return false;
        if (stats?.isDirectory()) return skipFolder(path);
        return stats?.isFile() ? skipReason(path) !== undefined && !icloudPlaceholderTarget(path) : false;
      },
    });
    this.watcher.on('add', (p) => {
      this.report(p);
      this.seenInBurst.add(p);
      this.burst.note();
    });
    this.watcher.on('change', (p) => this.report(p));
    this.watcher.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      this.log.error({ err: String(err), hint: code === 'EPERM' ? fullDiskAccessHint() : undefined }, 'watcher error');
    });
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
    this.reportHeld();
    for (const inbox of this.inboxes) this.ids.set(inbox, folderId(inbox));
    this.checkTimer = setInterval(() => this.checkInboxes(), INBOX_CHECK_MS);
    this.checkTimer.unref();
    this.log.info({ inboxes: this.inboxes }, 'watching');
  }

  private report(path: string): void {
    if (this.heldAtStart) this.heldAtStart.add(path);
    else this.onCandidate(path);
  }

  /** At 'ready': every file a walk finds, in its order, then any held one it did not find (gone since: intake drops it). */
  private reportHeld(): void {
    const held = this.heldAtStart ?? new Set<string>();
    this.heldAtStart = undefined;
    let missed = 0;
    for (const inbox of this.inboxes) {
      for (const p of this.candidates(inbox)) {
        if (!held.delete(p)) missed++;
        this.onCandidate(p);
      }
    }
    for (const p of held) this.onCandidate(p);
    if (missed) this.log.info({ files: missed }, 'found files that arrived while the watcher started');
  }

  /** Watch again, and walk, an inbox that is a new folder since the last look (deleted and created again). */
  private checkInboxes(): void {
    for (const inbox of this.inboxes) {
      const id = folderId(inbox);
      const was = this.ids.get(inbox);
      this.ids.set(inbox, id);
      if (id === was) continue;
      if (!id) {
        this.log.warn({ inbox }, 'the inbox folder is gone; waiting for it to come back');
        continue;
      }
      this.log.info({ inbox }, 'the inbox folder is back (or new): watching it again');
      this.watcher?.unwatch(inbox);
      this.watcher?.add(inbox);
      this.rescanOne(inbox);
    }
  }

  /** Walk every inbox and report each candidate file (a safety net for missed events). */
  rescan(): number {
    return this.inboxes.reduce((n, inbox) => n + this.rescanOne(inbox), 0);
  }

  private rescanOne(inbox: string, reported?: ReadonlySet<string>): number {
    let found = 0;
    for (const p of this.candidates(inbox)) {
      if (reported?.has(p)) continue;
      found++;
      this.onCandidate(p);
    }
    return found;
  }

  /** The files below an inbox that intake would consider, in name order. */
  private *candidates(inbox: string): Generator<string> {
    const enter = (dir: string, depth: number) => !skipFolder(dir) && depth <= MAX_DEPTH;
    for (const p of walkFiles(inbox, enter)) if (!skipReason(p) || icloudPlaceholderTarget(p)) yield p;
  }

  async stop(): Promise<void> {
    clearInterval(this.checkTimer);
    this.burst.stop();
    await this.watcher?.close();
  }
}
