// /api/search?q=: full-text search across every transcript.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { UiContext } from '../context.js';

const SearchParams = z.object({
  q: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function searchRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.get('/api/search', async (req, reply) => {
    const p = SearchParams.safeParse(req.query);
    if (!p.success) return reply.code(400).send({ error: p.error.issues.map((i) => i.message).join('; ') });
    return { hits: ctx.search.search(p.data.q, p.data.limit) };
  });
}
