// The local web page's server (fastify): listens on 127.0.0.1 only, checks every request (security.ts), serves the
// built page and the JSON API under /api/. Loaded by the daemon only when ui.enabled, so a daemon without it pays
// nothing.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Logger } from '../platform/log.js';
import { JobPages } from '../store/jobPages.js';
import type { JobSource } from '../queue/jobSource.js';
import type { JobStore } from '../store/jobs.js';
import { ChangeFeed } from './changeFeed.js';
import { CountsCache } from './countsCache.js';
import type { UiContext } from './context.js';
import { pageRoutes } from './routes/page.js';
import { jobRoutes } from './routes/jobs.js';
import { liveRoutes } from './routes/live.js';
import { mediaRoutes } from './routes/media.js';
import { searchRoutes } from './routes/search.js';
import { uploadRoutes } from './routes/upload.js';
import { checkRequest, tokenCookie } from './security.js';
import { uiToken, writeUiAddress } from './token.js';
import { readStatusText } from './views.js';

export const UI_HOST = '127.0.0.1';

export interface UiDeps {
  config: Config;
  jobs: JobStore;
  log: Logger;
  source: JobSource;
  wake: () => void;
  webDir?: string;
}

export interface UiServer {
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Build the app (not listening yet); `port()` is the port it will be reached on, for the Host check. */
export function buildUi(deps: UiDeps, port: () => number, token: string): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 1 << 20, forceCloseConnections: true });
  const pages = new JobPages(deps.jobs.db);
  const readStatus = () => readStatusText(deps.config.dataDir);
  const ctx: UiContext = {
    ...deps,
    pages,
    feed: new ChangeFeed(pages, readStatus),
    counts: new CountsCache(deps.jobs, pages),
  };
  app.addHook('onRequest', async (req, reply) => {
    const verdict = checkRequest(
      {
        method: req.method,
        host: req.headers.host,
        origin: req.headers.origin,
        secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
        authorization: req.headers.authorization,
        cookie: req.headers.cookie,
        queryToken: new URL(req.url, 'http://x').searchParams.get('token') ?? undefined,
      },
      port(),
      token,
    );
    if (!verdict.ok) return reply.code(verdict.status).type('application/json').send({ error: verdict.reason });
    // Trade the token in the address for a cookie; the page then takes it out of the address bar and the history
    // (history.replaceState: no redirect, so the first screen costs one round trip less).
    if (verdict.viaQuery) reply.header('Set-Cookie', tokenCookie(token));
    reply.header('X-Content-Type-Options', 'nosniff').header('Referrer-Policy', 'no-referrer');
  });
  pageRoutes(app, ctx, deps.webDir);
  jobRoutes(app, ctx);
  mediaRoutes(app, ctx);
  liveRoutes(app, ctx);
  searchRoutes(app, ctx);
  uploadRoutes(app, ctx);
  return app;
}

/** Listen on 127.0.0.1:ui.port (0: any free port) and write the address into the data folder. */
export async function startUi(deps: UiDeps): Promise<UiServer> {
  const token = uiToken(deps.config.dataDir);
  let port = deps.config.ui.port;
  const app = buildUi(deps, () => port, token);
  await app.listen({ host: UI_HOST, port });
  port = (app.server.address() as { port: number }).port;
  writeUiAddress(deps.config.dataDir, { port, pid: process.pid });
  deps.log.info({ url: `http://${UI_HOST}:${port}/` }, 'web page ready (`dropscribe open`)');
  return { port, token, close: () => app.close() };
}
