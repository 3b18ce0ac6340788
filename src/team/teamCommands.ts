// `cancel` and `retry` across the team: they act on the shared queue, so the host that runs the job sees them.
import { QUEUE, type TeamJobData, type TeamResult } from './teamJob.js';
import type { TeamQueue } from './teamQueue.js';

/** Cancel a job (queued: at once; running: its host sees it at its next lease touch and stops). */
export async function cancelTeamJob(q: TeamQueue, id: string): Promise<boolean> {
  const r = await q.call((b) => b.cancel(QUEUE, id));
  return ((r as { affected?: number }).affected ?? 0) > 0;
}

/** Run a finished, failed or canceled job again from the start, on whichever host takes it (same id and key). */
export async function retryTeamJob(q: TeamQueue, id: string): Promise<boolean> {
  const job = (await q.call((b) => b.findJobs<TeamJobData>(QUEUE, { id })))[0];
  if (!job || !['completed', 'failed', 'cancelled'].includes(job.state)) return false;
  await q.call(async (b) => {
    const tx = await q.db().beginTransaction!();
    try {
      await b.deleteJob(QUEUE, id, { db: tx.db });
      const before = job.output as Partial<TeamResult> | null;
      const data = { ...job.data, published: before?.published ?? job.data.published };
      await b.send(QUEUE, data as unknown as object, {
        id,
        singletonKey: job.singletonKey ?? undefined,
        db: tx.db,
      });
      await tx.commit();
    } catch (err) {
      await tx.rollback();
      throw err;
    }
  });
  return true;
}
