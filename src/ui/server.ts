// The local web page's server (fastify): listens on 127.0.0.1 only, checks every request (security.ts), serves the
// built page and the JSON API under /api/. Loaded by the daemon only when ui.enabled, so a daemon without it pays
// nothing.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Config } from '../config/config.js';
import type { Logger } from '../platform/log.js';
import { JobPages } from '../store/jobPages.js';
import type { JobSource } from '../queue/jobSource.js';
import type { JobStore } from '../store/jobs.js';
import { ChangeFeed } from './changeFeed.js';
import { jobIdParam, type UiContext } from './context.js';
import { CountsCache } from './countsCache.js';
import { MediaUrls } from './mediaUrl.js';
import { pageRoutes } from './routes/page.js';
import { jobRoutes } from './routes/jobs.js';
import { liveRoutes } from './routes/live.js';
import { MEDIA_ROUTE, mediaRoutes } from './routes/media.js';
import { downloadRoutes } from './routes/download.js';
import { searchRoutes } from './routes/search.js';
import { signInRoutes } from './routes/signIn.js';
import { uploadRoutes } from './routes/upload.js';
import { checkRequest, sameSecret, SECURITY_HEADERS } from './security.js';
import { UiSessions } from './sessions.js';
import { newUiToken, UI_HOST, writeUiAddress } from './token.js';
import { readStatusText } from './views.js';

export { UI_HOST };

export interface UiDeps {
  config: Config;
  /** The store the page's stores are taken from (here, once for every route). */
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

/** The routes that need no credential: the page's shell (it holds no data; its sign-in with a code) and its icon. */
const OPEN_ROUTES = new Set(['/', '/favicon.ico']);

/** Build the app (not listening yet); `port()` is the port it will be reached on, for the Host check. */
export function buildUi(deps: UiDeps, port: () => number, token: string): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 1 << 20,
    forceCloseConnections: true,
    // An address fastify cannot route (a malformed escape in the path) is answered like every other refusal.
    frameworkErrors: (err, _req, reply) =>
      void (reply as FastifyReply).code(400).headers(SECURITY_HEADERS).send({ error: err.message }),
  });
  const store = deps.jobs;
  const pages = new JobPages(store.db);
  const readStatus = () => readStatusText(deps.config.dataDir);
  const ctx: UiContext = {
    ...deps,
    jobs: store,
    search: store.search,
    corrections: store.corrections,
    refusals: store.refusals,
    pages,
    outputStores: store,
    feed: new ChangeFeed(pages, readStatus),
    counts: new CountsCache(store, pages),
    sessions: new UiSessions(),
    mediaUrls: new MediaUrls(),
    isToken: (bearer) => sameSecret(bearer, token),
  };
  app.addHook('onRequest', async (req, reply) => {
    reply.headers(SECURITY_HEADERS).header('Cache-Control', 'no-store');
    const route = req.routeOptions.url;
    const verdict = checkRequest(
      {
        method: req.method,
        host: req.headers.host,
        origin: req.headers.origin,
        secFetchSite: req.headers['sec-fetch-site'] as string | undefined,
        authorization: req.headers.authorization,
      },
      port(),
      {
        isCredential: (bearer) => ctx.isToken(bearer) || ctx.sessions.isSession(bearer),
        open:
          OPEN_ROUTES.has(route ?? '') ||
          (route === MEDIA_ROUTE && ctx.mediaUrls.verify(jobIdParam(req.params), req.query)),
      },
    );
    if (!verdict.ok) return reply.code(verdict.status).type('application/json').send({ error: verdict.reason });
  });
  // A request the routes did not expect is answered in plain words; a failure of the daemon's own is logged.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500)
      deps.log.error({ route: req.routeOptions.url, err: err.message }, 'the web page could not answer a request');
    return reply
      .code(status)
      .send({ error: status === 500 ? 'the daemon could not answer; its log says why' : err.message });
  });
  pageRoutes(app, ctx, deps.webDir);
  signInRoutes(app, ctx);
  jobRoutes(app, ctx);
  mediaRoutes(app, ctx);
  liveRoutes(app, ctx);
  searchRoutes(app, ctx);
  downloadRoutes(app, ctx);
  uploadRoutes(app, ctx);
  return app;
}

/** Listen on 127.0.0.1:ui.port (0: any free port) with a new token, and write the address into the data folder. */
export async function startUi(deps: UiDeps): Promise<UiServer> {
  const token = newUiToken(deps.config.dataDir);
  let port = deps.config.ui.port;
  const app = buildUi(deps, () => port, token);
  await app.listen({ host: UI_HOST, port });
  port = (app.server.address() as { port: number }).port;
  writeUiAddress(deps.config.dataDir, { port, pid: process.pid });
  deps.log.info({ url: `http://${UI_HOST}:${port}/` }, 'web page ready (`dropscribe open`)');
  return { port, token, close: () => app.close() };
}
