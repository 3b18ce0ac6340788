// /api/jobs/:id/media: the recording of a known job, by id only (never a path from the request), with ranges.
import { createReadStream, statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { jobIdParam, type UiContext } from '../context.js';
import { mediaType, parseRange } from '../mediaRange.js';

export function mediaRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.get('/api/jobs/:id/media', async (req, reply) => {
    const id = jobIdParam(req.params);
    const job = id && ctx.jobs.get(id);
    if (!job) return reply.code(404).send({ error: 'no such job' });
    let size: number;
    try {
      size = statSync(job.input).size;
    } catch {
      return reply.code(410).send({ error: `the recording ${job.relPath} is no longer in the inbox` });
    }
    const range = parseRange(req.headers.range, size);
    reply.header('Accept-Ranges', 'bytes').header('Content-Type', mediaType(job.input));
    if (range === 'unsatisfiable') return reply.code(416).header('Content-Range', `bytes */${size}`).send();
    const { start, end } = range ?? { start: 0, end: size - 1 };
    if (range) reply.code(206).header('Content-Range', `bytes ${start}-${end}/${size}`);
    reply.header('Content-Length', String(end - start + 1));
    return reply.send(createReadStream(job.input, { start, end }));
  });
}
