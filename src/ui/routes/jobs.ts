// /api/jobs: the paged queue, one job with its transcript (and its recording's signed address), retry, cancel and
// corrections.
import type { FastifyInstance } from 'fastify';
import { Correction, CorrectionError } from '../../output/corrections.js';
import { OutboxError } from '../../output/outboxError.js';
import { publishCorrection } from '../../output/republish.js';
import { jobIdParam, type UiContext } from '../context.js';
import { PageParams, readJobsPage } from '../jobsPage.js';
import { uiJobView } from '../views.js';

export function jobRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.get('/api/jobs', async (req, reply) => {
    const q = PageParams.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: q.error.issues.map((i) => i.message).join('; ') });
    return readJobsPage(ctx, q.data);
  });

  app.get('/api/jobs/:id', async (req, reply) => {
    const id = jobIdParam(req.params);
    const job = id && ctx.jobs.get(id);
    if (!job) return reply.code(404).send({ error: 'no such job' });
    const corrected = ctx.corrections.get(job.id);
    const transcript = corrected?.document ?? ctx.corrections.original(job.duplicateOf ?? job.id) ?? null;
    return {
      job: uiJobView(job),
      transcript,
      correctedAt: corrected?.editedAt ?? null,
      mediaUrl: ctx.mediaUrls.sign(job.id),
    };
  });

  // Retry and cancel as the CLI does them, through the job source (in team mode: on the shared queue, the team job
  // the row mirrors).
  for (const action of ['retry', 'cancel'] as const)
    app.post(`/api/jobs/:id/${action}`, async (req, reply) => {
      const id = jobIdParam(req.params);
      const job = id && ctx.jobs.get(id);
      if (!job) return reply.code(404).send({ error: 'no such job' });
      const answer = await ctx.source[action](ctx.source.refOf(job));
      if (!answer.ok) return reply.code(409).send({ error: answer.message });
      ctx.wake();
      return { message: answer.message };
    });

  app.post('/api/jobs/:id/corrections', async (req, reply) => {
    const id = jobIdParam(req.params);
    const job = id && ctx.jobs.get(id);
    if (!job) return reply.code(404).send({ error: 'no such job' });
    const correction = Correction.safeParse(req.body);
    if (!correction.success)
      return reply.code(400).send({ error: correction.error.issues.map((i) => i.message).join('; ') });
    try {
      return {
        transcript: publishCorrection({
          config: ctx.config,
          stores: ctx.outputStores,
          job,
          correction: correction.data,
        }),
      };
    } catch (err) {
      if (err instanceof CorrectionError) return reply.code(409).send({ error: err.message });
      // The outbox is away (a volume not mounted, read-only, full): the page shows why and the fix.
      if (err instanceof OutboxError) return reply.code(503).send({ error: err.message });
      throw err;
    }
  });
}
