// Re-export (`dropscribe export`): finished jobs rendered again from their stored transcripts (with the user's
// corrections and speaker names) in any format, atomically, into a folder of the user's choice or over the job's own
// published files. A job finished before transcripts were kept says so.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Config, Format } from '../config.js';
import type { Job, JobStore } from '../store/jobs.js';
import { finishedJobs } from '../store/finishedJobs.js';
import { publish } from './outbox.js';
import { nameTag, outputPath, type OutputPlace } from './outputNames.js';
import { RENDERERS, type TranscriptDocument } from './render/index.js';
import { publishOutputs } from './report.js';

export interface ExportRequest {
  jobs: number[] | 'all';
  since?: number; // with 'all': jobs finished at or after this time (ms)
  folder?: string; // with 'all': jobs whose recording is in this folder (inbox-relative, or absolute), or below it
  formats: Format[];
  to?: string; // a folder to write into (created when missing); else over the job's own published files
}

export type ExportOutcome = { job: number; written: string[] } | { job: number; problem: string };

/** Export each requested job in turn; one job's problem does not stop the others. */
export function exportJobs(config: Config, jobs: JobStore, request: ExportRequest): ExportOutcome[] {
  const chosen: (Job | number)[] =
    request.jobs === 'all'
      ? finishedJobs(jobs.db, request.since).filter((j) => inFolder(j, request.folder))
      : request.jobs.map((id) => jobs.get(id) ?? id);
  return chosen.map((job) => {
    if (typeof job === 'number') return { job, problem: `job ${job} does not exist` };
    if (job.state !== 'done') return { job: job.id, problem: `job ${job.id} is not done (${job.state})` };
    const doc = jobs.corrections.current(job.id);
    if (!doc)
      return {
        job: job.id,
        problem:
          `job ${job.id} (${job.relPath}) finished before dropscribe kept transcripts: there is nothing to render ` +
          `it from (dropscribe retry ${job.id} transcribes it again)`,
      };
    try {
      if (request.to)
        return {
          job: job.id,
          written: exportInto(resolve(request.to), config.outbox, job, doc, request.formats, config),
        };
      const published = publishOutputs({
        jobs,
        job: { ...job, settings: { ...job.settings, formats: request.formats } },
        outbox: config.outbox,
        doc,
        subtitles: config.subtitles,
      });
      if (published.skipped) return { job: job.id, problem: `job ${job.id}: ${published.note ?? 'skipped'}` };
      return { job: job.id, written: published.outputs };
    } catch (err) {
      return { job: job.id, problem: `job ${job.id}: ${(err as Error).message}` };
    }
  });
}

/** Whether the job's recording is in `folder` (relative to its inbox, or absolute) or below it. */
function inFolder(job: Job, folder: string | undefined): boolean {
  if (!folder) return true;
  const base = isAbsolute(folder) ? resolve(folder) : resolve(job.inbox, folder);
  const rel = relative(base, job.input);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/** Render the job's transcript (and translation) into `root`, named as in the outbox, all files at once. */
function exportInto(
  root: string,
  outbox: string,
  job: Job,
  doc: TranscriptDocument,
  formats: Format[],
  config: Config,
): string[] {
  const rel = relative(outbox, job.outputStem);
  const stem = rel && !rel.startsWith('..') && !isAbsolute(rel) ? join(root, rel) : join(root, job.relPath);
  const place: OutputPlace = { root, stem };
  const { translation, ...source } = doc;
  const docs = [
    { doc: source, tag: nameTag(source, job.settings.output, false) },
    ...(translation ? [{ doc: translation, tag: nameTag(translation, job.settings.output, true) }] : []),
  ];
  const files = docs.flatMap(({ doc: d, tag }) =>
    formats.map((f) => ({ path: outputPath(place, f, tag), content: RENDERERS[f](d, config.subtitles) })),
  );
  return publish(root, files as { path: string; content: string }[]);
}
