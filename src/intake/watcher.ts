// chokidar -> candidate paths for intake. Files already present at start-up are reported too, and a
// periodic rescan catches anything a missed file-system event would lose.
import chokidar, { type FSWatcher } from 'chokidar';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../platform/log.js';
import { icloudPlaceholderTarget, skipFolder, skipReason } from './inputFilter.js';
import { fullDiskAccessHint } from '../platform/fullDiskAccess.js';

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
    const walk = (dir: string, depth: number) => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!skipFolder(p) && depth < 20) walk(p, depth + 1);
        } else if (!skipReason(p) || icloudPlaceholderTarget(p)) {
          found++;
          this.onCandidate(p);
        }
      }
    };
    for (const inbox of this.inboxes) walk(inbox, 0);
    return found;
  }

  async stop(): Promise<void> {
    await this.watcher?.close();
  }
}
