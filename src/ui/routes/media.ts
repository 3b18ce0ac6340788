// /api/jobs/:id/media: the recording of a known job, by id only (never a path from the request), with ranges; only a
// file inside the watched inboxes (recordingFile.ts). The page plays it through a signed address (mediaUrl.ts).
import { closeSync, createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { jobIdParam, type UiContext } from '../context.js';
import { mediaType, parseRange } from '../mediaRange.js';
import { openRecording } from '../recordingFile.js';

export const MEDIA_ROUTE = '/api/jobs/:id/media';

export function mediaRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.get(MEDIA_ROUTE, async (req, reply) => {
    const id = jobIdParam(req.params);
    const job = id && ctx.jobs.get(id);
    if (!job) return reply.code(404).send({ error: 'no such job' });
    const file = openRecording(job.input, job.relPath, ctx.config.inboxes);
    if ('error' in file) return reply.code(file.status).send({ error: file.error });
    const { fd, size } = file;
    const range = size === 0 ? 'empty' : parseRange(req.headers.range, size);
    if (range === 'empty' || range === 'unsatisfiable' || req.method === 'HEAD') closeSync(fd);
    if (range === 'empty')
      return reply
        .code(422)
        .send({ error: `the recording ${job.relPath} is empty (0 bytes): there is nothing to play` });
    reply.header('Accept-Ranges', 'bytes').header('Content-Type', mediaType(job.input));
    if (range === 'unsatisfiable') return reply.code(416).header('Content-Range', `bytes */${size}`).send();
    const { start, end } = range ?? { start: 0, end: size - 1 };
    if (range) reply.code(206).header('Content-Range', `bytes ${start}-${end}/${size}`);
    reply.header('Content-Length', String(end - start + 1));
    if (req.method === 'HEAD') return reply.send(Readable.from([])); // fastify reads a HEAD's stream to its end
    return reply.send(createReadStream('', { fd, start, end }));
  });
}
