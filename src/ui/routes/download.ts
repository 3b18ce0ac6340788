// The page's downloads: one job's transcript in any format, rendered on request from its kept transcript (with the
// corrections and speaker names), and "export all": the jobs of a search result, a folder or a list, in one format,
// as one zip file.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { basename } from 'node:path';
import { z } from 'zod';
import { Format } from '../../config/config.js';
import { renderJob, selectJobs, withFrameRate } from '../../output/export.js';
import { jobIdParam, type UiContext } from '../context.js';

const TYPES: Record<Format, string> = {
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  ass: 'text/x-ssa; charset=utf-8',
  lrc: 'text/plain; charset=utf-8',
  fcpxml: 'application/xml; charset=utf-8',
};

/** The most jobs one zip holds. */
const MAX_JOBS = 500;

const ExportParams = z
  .object({
    format: Format,
    ids: z
      .string()
      .regex(/^\d+(,\d+)*$/)
      .transform((s) => s.split(',').map(Number))
      .optional(),
    q: z.string().min(1).max(500).optional(),
    folder: z.string().min(1).max(1000).optional(),
  })
  .refine((p) => [p.ids, p.q, p.folder].filter((x) => x !== undefined).length === 1, {
    message: 'name the jobs: ids, q (a search) or folder',
  });

/** Content-Disposition for a download named `name` (RFC 6266: an ASCII fallback and the UTF-8 name). */
function attachment(reply: FastifyReply, name: string): FastifyReply {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return reply.header(
    'Content-Disposition',
    `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  );
}

export function downloadRoutes(app: FastifyInstance, ctx: UiContext): void {
  app.get('/api/jobs/:id/download/:format', async (req, reply) => {
    const id = jobIdParam(req.params);
    const format = Format.safeParse((req.params as { format?: string }).format);
    if (!format.success) return reply.code(400).send({ error: `choose a format: ${Format.options.join(', ')}` });
    if (!id || !ctx.jobs.get(id)) return reply.code(404).send({ error: 'no such job' });
    const [chosen] = selectJobs(ctx.outputStores, { jobs: [id] });
    if (!chosen || 'problem' in chosen) return reply.code(409).send({ error: chosen?.problem ?? 'no such job' });
    const doc = format.data === 'fcpxml' ? withFrameRate(chosen.doc, chosen.job, ctx.config.python) : chosen.doc;
    const { outbox, subtitles } = ctx.config;
    const [file] = renderJob({ outbox, job: chosen.job, doc, formats: [format.data], subtitles });
    attachment(reply, basename(file!.name)).type(TYPES[format.data]);
    return reply.send(typeof file!.content === 'string' ? file!.content : Buffer.from(file!.content));
  });

  app.get('/api/export', async (req, reply) => {
    const p = ExportParams.safeParse(req.query);
    if (!p.success) return reply.code(400).send({ error: p.error.issues.map((i) => i.message).join('; ') });
    const { format, ids, q, folder } = p.data;
    const chosenIds = q ? [...new Set(ctx.search.search(q, 200).map((h) => h.jobId))] : ids;
    const chosen = selectJobs(ctx.outputStores, chosenIds ? { jobs: chosenIds } : { jobs: 'all', folder });
    if (chosen.length > MAX_JOBS) return reply.code(413).send({ error: `more than ${MAX_JOBS} jobs: narrow it down` });
    const { zipSync, strToU8 } = await import('fflate');
    const entries: Record<string, Uint8Array> = {};
    const problems: string[] = [];
    for (const c of chosen) {
      if ('problem' in c) problems.push(c.problem);
      else
        for (const f of renderJob({
          ...c,
          outbox: ctx.config.outbox,
          formats: [format],
          subtitles: ctx.config.subtitles,
        }))
          entries[f.name.split('\\').join('/')] = typeof f.content === 'string' ? strToU8(f.content) : f.content;
    }
    if (problems.length) entries['NOT EXPORTED.txt'] = strToU8(problems.join('\n') + '\n');
    attachment(reply, `dropscribe-${format}.zip`).type('application/zip');
    return reply.send(Buffer.from(zipSync(entries)));
  });
}
