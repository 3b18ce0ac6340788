// The page itself: dist/web/index.html (built by `npm run build`, script and style inlined; nothing from a CDN) with
// the queue's first page of jobs put in, so the first screen is one response and no further fetch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PACKAGE_ROOT } from '../../platform/paths.js';
import type { UiContext } from '../context.js';
import { jsonForScript, readJobsPage } from '../jobsPage.js';

export const WEB_DIR = join(PACKAGE_ROOT, 'dist', 'web');

/** Where index.html takes the first page of jobs, as the element the page reads (web/firstPage.ts). */
const FIRST_PAGE_MARK = '<!--first-page-->';

export function pageRoutes(app: FastifyInstance, ctx: UiContext, webDir = WEB_DIR): void {
  app.get('/', async (_req, reply) => {
    let html: string;
    try {
      html = readFileSync(join(webDir, 'index.html'), 'utf8');
    } catch {
      return reply.code(500).type('text/plain').send(`the page is not built: run \`npm run build\` (${webDir})`);
    }
    const first = `<script id="first-page" type="application/json">${jsonForScript(readJobsPage(ctx))}</script>`;
    return reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(html.replace(FIRST_PAGE_MARK, () => first));
  });
}
