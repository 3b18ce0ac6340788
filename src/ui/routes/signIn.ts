// POST /api/open-code: a single-use sign-in code for `dropscribe open`, given only for the daemon's token (read from
// the data folder, so only the user who runs the daemon has it); the page trades the code for a session (page.ts).
import type { FastifyInstance } from 'fastify';
import type { UiContext } from '../context.js';
import { bearerOf } from '../security.js';
import { CODE_TTL_MS } from '../sessions.js';

export function signInRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.post('/api/open-code', async (req, reply) => {
    const bearer = bearerOf(req.headers.authorization);
    if (bearer === undefined || !ctx.isToken(bearer))
      return reply
        .code(401)
        .send({ error: 'only the token in the data folder gets a sign-in code (`dropscribe open`)' });
    return { code: ctx.sessions.mintCode(), expiresInSec: CODE_TTL_MS / 1000 };
  });
}
