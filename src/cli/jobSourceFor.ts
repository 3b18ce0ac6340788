// The CLI's composition root for jobs: the job source `enqueue`, `retry` and `cancel` use, chosen once from the
// config (the team's shared queue when a team URL is set, its modules loaded only then; else the local queue).
import { hostname } from 'node:os';
import { LocalJobSource } from '../queue/localSource.js';
import type { JobSource } from '../queue/jobSource.js';
import { silentLogger } from '../platform/log.js';
import { openDb } from '../store/db.js';
import { JobStore } from '../store/jobs.js';
import { teamConfigured } from '../config/teamSettings.js';
import type { Resolved } from './common.js';

/** Run `fn` with the job source for this config; `jobs` is the local store (refusals, and the local queue). Without
 * a local store, team mode uses a throwaway one in memory: retry and cancel there touch only the shared queue. */
export async function withJobSource<T>(
  r: Resolved,
  jobs: JobStore | undefined,
  fn: (source: JobSource) => Promise<T>,
): Promise<T> {
  let source: JobSource;
  if (teamConfigured(r.config.team)) {
    const { teamClientSource } = await import('../team/teamMode.js');
    const store = jobs ?? new JobStore(openDb(':memory:'));
    source = await teamClientSource(
      r.config,
      { jobs: store, runs: store.runs, outputFiles: store.outputFiles },
      silentLogger,
    );
  } else {
    if (!jobs) throw new Error('the local job source needs the job store');
    source = new LocalJobSource({
      jobs,
      outbox: r.config.outbox,
      log: silentLogger,
      owner: `${hostname()}:${process.pid}`,
      leaseMs: 0,
    });
  }
  try {
    return await fn(source);
  } finally {
    await source.close();
  }
}
