// chokidar -> candidate paths for intake. Files already present at start-up are reported too, and a
// periodic rescan catches anything a missed file-system event would lose.
import chokidar, { type FSWatcher } from 'chokidar';
import type { Logger } from '../platform/log.js';
import { walkFiles } from '../platform/walkFiles.js';
import { icloudPlaceholderTarget, skipFolder, skipReason } from './inputFilter.js';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';

const MAX_DEPTH = 20; // sub-folder levels a rescan walks

export class InboxWatcher {
  private watcher: FSWatcher | undefined;

  constructor(
    private readonly inboxes: string[],
    private readonly onCandidate: (path: string) => void,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.watcher = chokidar.watch(this.inboxes, {
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
    this.watcher.on('add', (p) => this.onCandidate(p));
    this.watcher.on('change', (p) => this.onCandidate(p));
    this.watcher.on('error', (err) => {
      const code = (err as NodeJS.ErrnoException).code;
      this.log.error({ err: String(err), hint: code === 'EPERM' ? fullDiskAccessHint() : undefined }, 'watcher error');
    });
    await new Promise<void>((resolve) => this.watcher!.once('ready', () => resolve()));
    this.log.info({ inboxes: this.inboxes }, 'watching');
  }

  /** Walk every inbox and report each candidate file (a safety net for missed events). */
  rescan(): number {
    let found = 0;
    const enter = (dir: string, depth: number) => !skipFolder(dir) && depth <= MAX_DEPTH;
    for (const inbox of this.inboxes) {
      for (const p of walkFiles(inbox, enter)) {
        if (skipReason(p) && !icloudPlaceholderTarget(p)) continue;
        found++;
        this.onCandidate(p);
      }
    }
    return found;
  }

  async stop(): Promise<void> {
    await this.watcher?.close();
  }
}
