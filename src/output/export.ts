// Re-export (`dropscribe export`, the page's downloads): finished jobs rendered again from their stored transcripts
// (with the user's corrections and speaker names) in any format, atomically, into a folder of the user's choice, over
// the job's own published files, or as files to download. A job finished before transcripts were kept says so.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Config, Format, SubtitleSettings } from '../config/config.js';
import type { CorrectionStore } from '../store/corrections.js';
import type { Db } from '../store/db.js';
import { finishedJobs } from '../store/finishedJobs.js';
import type { Job } from '../store/jobRow.js';
import type { JobTable } from '../store/jobTable.js';
import { videoFrameRate } from './frameRate.js';
import { nameTag, outputPath } from './outputNames.js';
import { RENDERERS, type Rendered, type TranscriptDocument } from './render/index.js';
import { publishSet, type PublishStores } from './publisher.js';
import { publishOutputs } from './transcriptOutputs.js';

export interface Selection {
  jobs: number[] | 'all';
  since?: number; // with 'all': jobs finished at or after this time (ms)
  folder?: string; // with 'all': jobs whose recording is in this folder (inbox-relative, or absolute), or below it
}

export interface ExportRequest extends Selection {
  formats: Format[];
  to?: string; // a folder to write into (created when missing); else over the job's own published files
}

/** `note`: under which name the files went when another file was in the way. */
export type ExportOutcome = { job: number; written: string[]; note?: string } | { job: number; problem: string };

/** A file of a job rendered again: its path relative to the outbox (as it is published there) and its content. */
export interface RenderedFile {
  name: string;
  content: Rendered;
}

/** What selecting jobs reads: the jobs table (and its database, for the finished jobs), the kept documents. */
export type SelectionStores = Pick<JobTable, 'get'> & { db: Db; corrections: CorrectionStore };

/** What exporting reads and writes: the selection's stores and the files published. */
export type ExportStores = SelectionStores & PublishStores;

/** The jobs a selection names: done jobs with their kept transcript, or the problem with each. */
export function selectJobs(
  stores: SelectionStores,
  selection: Selection,
): ({ job: Job; doc: TranscriptDocument } | { job: number; problem: string })[] {
  const chosen: (Job | number)[] =
    selection.jobs === 'all'
      ? finishedJobs(stores.db, selection.since).filter((j) => inFolder(j, selection.folder))
      : selection.jobs.map((id) => stores.get(id) ?? id);
  return chosen.map((job) => {
    if (typeof job === 'number') return { job, problem: `job ${job} does not exist` };
    if (job.state !== 'done') return { job: job.id, problem: `job ${job.id} is not done (${job.state})` };
    // A duplicate publishes its original's transcript under its own name.
    const own = stores.corrections.current(job.id);
    const original = own ?? (job.duplicateOf ? stores.corrections.current(job.duplicateOf) : undefined);
    const doc = own ?? (original && { ...original, source: job.relPath });
    if (!doc)
      return {
        job: job.id,
        problem:
          `job ${job.id} (${job.relPath}) finished before dropscribe kept transcripts: there is nothing to render ` +
          `it from (dropscribe retry ${job.id} transcribes it again)`,
      };
    return { job, doc };
  });
}

/** Export each requested job in turn; one job's problem does not stop the others. */
export function exportJobs(config: Config, stores: ExportStores, request: ExportRequest): ExportOutcome[] {
  return selectJobs(stores, request).map((chosen) => {
    if ('problem' in chosen) return chosen;
    const { job } = chosen;
    const doc = request.formats.includes('fcpxml') ? withFrameRate(chosen.doc, job, config.python) : chosen.doc;
    try {
      if (request.to)
        return {
          job: job.id,
          ...exportInto({ root: resolve(request.to), config, stores, job, doc, formats: request.formats }),
        };
      const published = publishOutputs({
        stores,
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

/**
 * Write a job's files into `root` (named as in the outbox) through the publisher, the job as their owner: a file
 * dropscribe did not write there, or one edited since, is never written over; the set takes the next free name.
 */
function exportInto(into: {
  root: string;
  config: Config;
  stores: PublishStores;
  job: Job;
  doc: TranscriptDocument;
  formats: Format[];
}): { written: string[]; note?: string } {
  const { root, config, job } = into;
  const { stem, files } = renderSet({
    outbox: config.outbox,
    job,
    doc: into.doc,
    formats: into.formats,
    subtitles: config.subtitles,
  });
  const published = publishSet(
    { files: into.stores.outputFiles },
    {
      owner: { input: job.input, jobId: job.id },
      root,
      stem: join(root, stem),
      beside: false,
      where: `in ${root}`,
      overwrite: false,
      files: (s) => files(s).map((f) => ({ path: f.name, content: f.content })),
    },
  );
  return { written: published.outputs, ...(published.note ? { note: published.note } : {}) };
}

/** The document with its video's frame rate (FCPXML's frames), read from the recording when it does not hold it. */
export function withFrameRate(doc: TranscriptDocument, job: Job, python: string): TranscriptDocument {
  if (doc.frameRate) return doc;
  const frameRate = videoFrameRate(job.input, python);
  return frameRate ? { ...doc, frameRate } : doc;
}

/** Whether the job's recording is in `folder` (relative to its inbox, or absolute) or below it. */
export function inFolder(job: Job, folder: string | undefined): boolean {
  if (!folder) return true;
  const base = isAbsolute(folder) ? resolve(folder) : resolve(job.inbox, folder);
  const rel = relative(base, job.input);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** A job's document to render in `formats`, named as in `outbox`. */
export interface RenderRequest {
  outbox: string;
  job: Job;
  doc: TranscriptDocument;
  formats: Format[];
  subtitles?: SubtitleSettings;
}

/** The job's transcript (and translation, as name.en.*) in each format, named as in the outbox. */
export function renderJob(request: RenderRequest): RenderedFile[] {
  const set = renderSet(request);
  return set.files(set.stem);
}

/** The job's rendered files under any stem (rendered once), and the stem it has in the outbox. */
function renderSet(request: RenderRequest): { stem: string; files: (stem: string) => RenderedFile[] } {
  const { outbox, job, doc, formats, subtitles } = request;
  const rel = relative(outbox, job.outputStem);
  const stem = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : job.relPath.replace(/\.[^./]*$/, '');
  const { translation, ...source } = doc;
  const docs = [
    { doc: source, tag: nameTag(source, job.settings.output, false) },
    ...(translation ? [{ doc: translation, tag: nameTag(translation, job.settings.output, true) }] : []),
  ];
  const rendered = docs.flatMap(({ doc: d, tag }) =>
    formats.map((f) => ({ format: f, tag, content: RENDERERS[f](d, subtitles, job.input) })),
  );
  return {
    stem,
    files: (s) =>
      rendered.map((r) => ({ name: outputPath({ root: '', stem: s }, r.format, r.tag), content: r.content })),
  };
}
