// Intake's hand-off in team mode: a complete, hashed file becomes a team job (once for the whole team) instead of a
// local row. While the database is away this throws TeamOfflineError and the file waits in intake.
import type { Config } from '../config.js';
import type { NewJob } from '../store/jobRow.js';
import type { Logger } from '../platform/log.js';
import { outputRelFor } from './teamJob.js';
import type { TeamQueue } from './teamQueue.js';

export class TeamIntake {
  /** Files (path, size, mtime) the team already has a job for: a rescan need not hash them again. */
  private known = new Set<string>();

  constructor(
    private readonly queue: TeamQueue,
    private readonly config: Config,
    private readonly host: string,
    private readonly log: Logger,
  ) {}

  get online(): boolean {
    return this.queue.online;
  }

  knows(path: string, size: number, mtimeMs: number): boolean {
    return this.known.has(stamp(path, size, mtimeMs));
  }

  async enqueue(n: NewJob): Promise<'queued' | 'known'> {
    const inboxIndex = Math.max(0, this.config.inboxes.indexOf(n.inbox));
    const plain = outputRelFor(n.relPath);
    const outputRel = (await this.queue.outputRelTaken(plain, n.relPath)) ? outputRelFor(n.relPath, true) : plain;
    const { status, id } = await this.queue.enqueue({
      relPath: n.relPath,
      inboxIndex,
      sha256: n.sha256,
      size: n.size,
      mtimeMs: n.mtimeMs,
      outputRel,
      settings: n.settings as unknown as Record<string, unknown>,
      enqueuedBy: this.host,
    });
    this.known.add(stamp(n.input, n.size, n.mtimeMs));
    this.log.info(
      { teamJob: id.slice(0, 8), file: n.relPath, status },
      status === 'queued' ? 'queued for the team' : 'the team already has this file',
    );
    return status;
  }
}

function stamp(path: string, size: number, mtimeMs: number): string {
  return `${size}:${Math.round(mtimeMs)}:${path}`;
}
