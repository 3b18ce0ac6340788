// /api/events (server-sent events: jobs and status as they change) and /api/status (budget, refusals, hosts).
import type { FastifyInstance } from 'fastify';
import type { UiContext } from '../context.js';
import { SECURITY_HEADERS } from '../security.js';
import { uiJobView, uiStatus } from '../views.js';

export function liveRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.get('/api/status', async () => ({
    ...uiStatus(ctx.refusals, ctx.config.dataDir, ctx.counts.get()),
    hosts: ctx.source.hosts ? await ctx.source.hosts().catch(() => null) : null,
  }));

  app.get('/api/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...SECURITY_HEADERS, // a hijacked answer sends only the headers written here
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    const send = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    const stop = ctx.feed.subscribe((e) =>
      e.type === 'jobs' ? send('jobs', e.jobs.map(uiJobView)) : send('status', e.status),
    );
    req.raw.on('close', stop);
  });
}
