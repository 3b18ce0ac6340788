// A recording watched in place (output.beside) whose outputs would meet a file dropscribe did not write (or that was
// changed since) is left alone: its subtitle already there (in any language code style or subtitle format), or a file
// of its own set (the user's talk.txt, talk.json). The job is done with a note saying why; `dropscribe retry` (which
// sets overwrite) writes the outputs anyway, under a free name where a file is in the way, never over it (publisher.ts).
import { tasksOf, type JobSettings } from '../config/config.js';
import type { Job } from '../store/jobRow.js';
import type { OutputFileStore } from '../store/outputFiles.js';
import { outputPath, outputPlace, plannedTags, subtitleNames } from './outputNames.js';
import { firstInTheWay } from './publisher.js';
import { skipNote as noteOfSkip } from './publishNotes.js';

/** The language of the outputs before anything is recognized: English for a translation, the forced one, or null. */
export function knownLanguage(settings: JobSettings): string | null {
  return tasksOf(settings)[0] === 'translate' ? 'en' : settings.language;
}

/** The file beside the recording that this job's outputs would stand in for or write over, and that is not ours and
 * unchanged; or undefined. Names with the language (output.languageSuffix) need the language: null means not known
 * yet (nothing is found then; the publisher checks again). */
export function subtitleInTheWay(lookup: {
  job: Job;
  outbox: string;
  language: string | null;
  files: OutputFileStore;
}): string | undefined {
  const { job, outbox, language, files } = lookup;
  const output = job.settings.output;
  const tags = plannedTags(job.settings, language);
  if (!output.beside || job.overwrite || !tags) return undefined;
  const place = outputPlace(job, outbox);
  const own = tags.flatMap((tag) => job.settings.formats.map((f) => outputPath(place, f, tag)));
  const paths = [...new Set([...subtitleNames(place, language ?? '', output), ...own])];
  return firstInTheWay({ files, input: job.input, root: place.root, paths });
}

/** What status shows for a skipped recording. */
export function skipNote(job: Job, subtitle: string): string {
  return noteOfSkip(job.id, subtitle);
}
