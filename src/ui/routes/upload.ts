// /api/upload?name=: a file dropped onto the page, streamed into the first inbox (see upload.ts).
import type { FastifyInstance } from 'fastify';
import type { UiContext } from '../context.js';
import { receiveUpload, UploadError } from '../upload.js';

export function uploadRoutes(app: FastifyInstance, ctx: UiContext): void {
  // The body is the file itself, streamed: no parser reads it into memory.
  app.addContentTypeParser('*', (_req, _payload, done) => done(null));
  app.post('/api/upload', async (req, reply) => {
    const name = (req.query as { name?: string }).name ?? '';
    const max = ctx.config.ui.maxUploadMb * 2 ** 20;
    const declared = Number(req.headers['content-length'] ?? 0);
    try {
      if (declared > max)
        throw new UploadError(`the file is larger than the limit of ${ctx.config.ui.maxUploadMb} MB`, 413);
      const path = await receiveUpload(req.raw, name, ctx.config.inboxes[0]!, max);
      ctx.log.info({ path }, 'file uploaded through the web page');
      return { path };
    } catch (err) {
      if (err instanceof UploadError)
        return reply.code(err.status).header('Connection', 'close').send({ error: err.message });
      throw err;
    }
  });
}
