// The page itself: index.html and the built front end from the package's dist/web (built by `npm run build`;
// nothing from a CDN). Only files that are in that folder are served, by name.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { PACKAGE_ROOT } from '../../platform/paths.js';

export const WEB_DIR = join(PACKAGE_ROOT, 'dist', 'web');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

export function assetRoutes(app: FastifyInstance, webDir = WEB_DIR): void {
  const files = new Set(existsSync(webDir) ? readdirSync(webDir) : []);
  const send = (name: string) => ({
    body: readFileSync(join(webDir, name)),
    type: TYPES[extname(name)] ?? 'text/plain',
  });
  app.get('/', async (_req, reply) => {
    if (!files.has('index.html'))
      return reply.code(500).type('text/plain').send(`the page is not built: run \`npm run build\` (${webDir})`);
    const { body, type } = send('index.html');
    return reply.type(type).header('Cache-Control', 'no-cache').send(body);
  });
  app.get('/assets/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    if (!files.has(name)) return reply.code(404).send({ error: 'no such file' });
    const { body, type } = send(name);
    return reply.type(type).header('Cache-Control', 'no-cache').send(body);
  });
}
