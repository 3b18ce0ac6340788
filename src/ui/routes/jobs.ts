// /api/jobs: the paged queue, one job with its transcript, retry, cancel and corrections.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { JOB_STATES } from '../../core/jobStates.js';
import { Correction, CorrectionError } from '../../output/corrections.js';
import { OutboxError } from '../../output/outboxError.js';
import { publishCorrection } from '../../output/republish.js';
import { jobIdParam, type UiContext } from '../context.js';
import { uiJobView } from '../views.js';

export const PAGE_SIZE = { default: 100, max: 500 } as const;

const PageParams = z.object({
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().positive().max(PAGE_SIZE.max).default(PAGE_SIZE.default),
  state: z.enum(JOB_STATES).optional(),
});

export function jobRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.get('/api/jobs', async (req, reply) => {
    const q = PageParams.safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: q.error.issues.map((i) => i.message).join('; ') });
    const jobs = ctx.pages.page({ beforeId: q.data.before, limit: q.data.limit, state: q.data.state });
    const last = jobs.at(-1);
    return {
      jobs: jobs.map(uiJobView),
      counts: ctx.counts.get(),
      nextBefore: jobs.length === q.data.limit && last ? last.id : null,
    };
  });

  app.get('/api/jobs/:id', async (req, reply) => {
    const id = jobIdParam(req.params);
    const job = id && ctx.jobs.get(id);
    if (!job) return reply.code(404).send({ error: 'no such job' });
    const corrected = ctx.jobs.corrections.get(job.id);
    const transcript = corrected?.document ?? ctx.jobs.corrections.original(job.duplicateOf ?? job.id) ?? null;
    return { job: uiJobView(job), transcript, correctedAt: corrected?.editedAt ?? null };
  });

  // Retry and cancel as the CLI does them, through the job source (in team mode: on the shared queue).
  for (const action of ['retry', 'cancel'] as const)
    app.post(`/api/jobs/:id/${action}`, async (req, reply) => {
      const id = jobIdParam(req.params);
      const job = id && ctx.jobs.get(id);
      if (!job) return reply.code(404).send({ error: 'no such job' });
      const answer = await ctx.source[action](String(job.id));
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
      return { transcript: publishCorrection(ctx.config, ctx.jobs, job, correction.data) };
    } catch (err) {
      if (err instanceof CorrectionError) return reply.code(409).send({ error: err.message });
      // The outbox is away (a volume not mounted, read-only, full): the page shows why and the fix.
      if (err instanceof OutboxError) return reply.code(503).send({ error: err.message });
      throw err;
    }
  });
}
