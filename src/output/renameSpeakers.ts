// `dropscribe speakers JOB S1=Alice`: names for a finished job's speakers, read from and written back to its JSON
// output; every format is rendered again from it and published together (atomically).
import { existsSync, readFileSync } from 'node:fs';
import type { Format, SubtitleSettings } from '../config.js';
import type { Job } from '../store/jobs.js';
import type { TranscriptDocument } from './render/index.js';
import { publishOutputs } from './report.js';

export class RenameError extends Error {
  override name = 'RenameError';
}

/** `S1=Alice` pairs as a map; an argument of another shape is refused. */
export function parseNames(args: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const arg of args) {
    const m = /^(S[0-9]+)=(.+)$/.exec(arg);
    if (!m) throw new RenameError(`"${arg}" is not SPEAKER=NAME (for example S1=Alice)`);
    names.set(m[1]!, m[2]!.trim());
  }
  return names;
}

/** The document with the names set; a speaker id the document lacks is refused. */
export function applyNames(doc: TranscriptDocument, names: Map<string, string>): TranscriptDocument {
  const speakers = doc.speakers ?? [];
  for (const id of names.keys())
    if (!speakers.some((s) => s.id === id))
      throw new RenameError(
        `the transcript has no speaker ${id} (it has ${speakers.map((s) => s.id).join(', ') || 'none'})`,
      );
  return { ...doc, speakers: speakers.map((s) => ({ ...s, name: names.get(s.id) ?? s.name })) };
}

/** Rename the speakers of `job`'s published outputs; the files written. */
export function renameSpeakers(
  job: Job,
  outbox: string,
  formats: Format[],
  names: Map<string, string>,
  subtitles?: SubtitleSettings,
): string[] {
  const json = `${job.outputStem}.json`;
  if (!formats.includes('json') || !existsSync(json))
    throw new RenameError(`job ${job.id} has no JSON output (${json}): speakers can only be renamed from it`);
  const written = JSON.parse(readFileSync(json, 'utf8')) as Omit<TranscriptDocument, 'segments'> & {
    segments: (TranscriptDocument['segments'][number] & { id?: number })[];
  };
  const segments = written.segments.map(({ id: _id, ...seg }) => seg); // renderJson numbers them again
  const doc = applyNames({ ...written, segments }, names);
  return publishOutputs(job, outbox, doc, formats, subtitles);
}
