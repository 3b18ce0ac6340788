// The page itself: dist/web/index.html (built by `npm run build`, script and style inlined; nothing from a CDN). It
// holds no data and needs no credential. Opened with a sign-in code (`dropscribe open`), it carries the session the
// code opens and the queue's first page of jobs, so the first screen is one response and no further fetch; the page
// keeps the session in its tab's sessionStorage (web/session.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PACKAGE_ROOT } from '../../platform/paths.js';
import type { UiContext } from '../context.js';
import { jsonForScript, readJobsPage } from '../jobsPage.js';

export const WEB_DIR = join(PACKAGE_ROOT, 'dist', 'web');

/** Where index.html takes the sign-in and the first page of jobs, as the elements the page reads. */
const FIRST_PAGE_MARK = '<!--first-page-->';

const USED_CODE =
  'This address signed a page in already, or is more than a minute old: run `dropscribe open` again for a new one.';

export function pageRoutes(app: FastifyInstance, ctx: UiContext, webDir = WEB_DIR): void {
  app.get('/', async (req, reply) => {
    let html: string;
    try {
      html = readFileSync(join(webDir, 'index.html'), 'utf8');
    } catch {
      return reply.code(500).type('text/plain').send(`the page is not built: run \`npm run build\` (${webDir})`);
    }
    const send = (inserted: string) =>
      reply.type('text/html; charset=utf-8').send(html.replace(FIRST_PAGE_MARK, () => inserted));
    const code = (req.query as { code?: unknown }).code;
    // A HEAD (a link checker, a prefetch) never spends a code.
    if (code === undefined || req.method !== 'GET') return send('');
    const session = typeof code === 'string' ? ctx.sessions.redeem(code) : undefined;
    if (!session) {
      reply.code(401);
      return send(script('sign-in', { error: USED_CODE }));
    }
    return send(script('sign-in', { session }) + script('first-page', readJobsPage(ctx)));
  });
  // The icon every browser asks for: none (and no 401 in the page's console).
  app.get('/favicon.ico', async (_req, reply) => reply.code(204).send());
}

function script(id: string, value: unknown): string {
  return `<script id="${id}" type="application/json">${jsonForScript(value)}</script>`;
}
