// /api/upload?name=: a file dropped onto the page, streamed into the first inbox (see upload.ts). The body is the file
// itself (application/octet-stream, or an audio or video type): no parser reads it into memory, and a body of another
// type (JSON, a form) is refused before anything is written.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UiContext } from '../context.js';
import { receiveUpload, UploadError } from '../upload.js';

const UploadQuery = z.object({
  name: z.string({ error: "the file's name must be given once, as ?name=" }),
});

/** The body types an upload may have: the file's bytes; none given counts as that. */
const FILE_TYPE = /^(application\/octet-stream|audio\/[\w.+-]+|video\/[\w.+-]+)\s*(;|$)/i;

export function uploadRoutes(app: FastifyInstance, ctx: UiContext): void {
  // Its own scope: the body parsers of the other routes (JSON) never read an upload.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.post('/api/upload', async (req, reply) => {
      const max = ctx.config.ui.maxUploadMb * 2 ** 20;
      const declared = Number(req.headers['content-length'] ?? 0);
      const type = req.headers['content-type'];
      try {
        const query = UploadQuery.safeParse(req.query);
        if (!query.success) throw new UploadError(query.error.issues.map((i) => i.message).join('; '), 400);
        if (type !== undefined && !FILE_TYPE.test(type))
          throw new UploadError(`send the file itself as application/octet-stream, not as ${type}`, 415);
        if (declared > max)
          throw new UploadError(`the file is larger than the limit of ${ctx.config.ui.maxUploadMb} MB`, 413);
        const path = await receiveUpload(req.raw, {
          name: query.data.name,
          inbox: ctx.config.inboxes[0]!,
          maxBytes: max,
        });
        ctx.log.info({ path }, 'file uploaded through the web page');
        return { path };
      } catch (err) {
        if (err instanceof UploadError)
          return reply.code(err.status).header('Connection', 'close').send({ error: err.message });
        throw err;
      }
    });
  });
}
