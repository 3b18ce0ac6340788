// A recording watched in place (output.beside) that already has its subtitle beside it is left alone: the job is done
// with a note saying why, and `dropscribe retry` (which sets overwrite) writes over it.
import { basename } from 'node:path';
import { tasksOf, type JobSettings } from '../config.js';
import type { Job } from '../store/jobs.js';
import { existingSubtitle, outputPlace } from './outputNames.js';

/** The language of the outputs before anything is recognized: English for a translation, the forced one, or null. */
export function knownLanguage(settings: JobSettings): string | null {
  return tasksOf(settings)[0] === 'translate' ? 'en' : settings.language;
}

/** The subtitle beside the recording that this job's outputs would stand in for, or undefined. A name with the
 * language (output.languageSuffix) needs the language: null means not known yet. */
export function subtitleInTheWay(job: Job, outbox: string, language: string | null): string | undefined {
  const output = job.settings.output;
  if (!output.beside || job.overwrite || (output.languageSuffix && !language)) return undefined;
  return existingSubtitle(outputPlace(job, outbox), language ?? '', output);
}

/** What status shows for a skipped recording. */
export function skipNote(job: Job, subtitle: string): string {
  return `skipped: ${basename(subtitle)} is already beside the recording (dropscribe retry ${job.id} writes over it)`;
}
