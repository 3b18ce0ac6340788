// Where a job's outputs go and what they are called: below the outbox (mirroring the inbox) or beside the recording in
// the watched folder, as name.<ext>, name.<lang>.<ext> (output.languageSuffix), and name.en.<ext> for a translation
// written beside the source-language transcript.
import { basename, dirname, extname, join } from 'node:path';
import { tasksOf, type Format, type JobSettings, type OutputSettings } from '../config/config.js';
import type { TranscriptDocument } from '../core/transcriptDocument.js';
import { languageTag, languageTags } from './languageCodes.js';

/** The folder writes must stay inside, and the path outputs are named from (without extension). */
export interface OutputPlace {
  root: string;
  stem: string;
}

interface PlacedJob {
  input: string;
  inbox: string;
  outputStem: string;
  settings: { output: OutputSettings };
}

/** The outbox mirror, or the recording's own folder when output.beside is set. */
export function outputPlace(job: PlacedJob, outbox: string): OutputPlace {
  if (!job.settings.output.beside) return { root: outbox, stem: job.outputStem };
  return { root: job.inbox, stem: join(dirname(job.input), basename(job.input, extname(job.input))) };
}

/** The language of a document's text: English for a translation, else the recording's language. */
export function textLanguage(doc: Pick<TranscriptDocument, 'task' | 'language'>): string {
  return doc.task === 'translate' ? 'en' : doc.language;
}

/** The tag in a document's file names, or undefined for plain name.<ext>. A translation beside a transcript is .en. */
export function nameTag(
  doc: Pick<TranscriptDocument, 'task' | 'language'>,
  output: OutputSettings,
  translationOfPair: boolean,
): string | undefined {
  const style = output.languageSuffix === '639-2' ? '639-2' : '639-1';
  if (output.languageSuffix || translationOfPair) return languageTag(textLanguage(doc), style);
  return undefined;
}

/** name.<ext> or name.<tag>.<ext>. */
export function outputPath(place: OutputPlace, format: Format | 'error.txt', tag?: string): string {
  return tag ? `${place.stem}.${tag}.${format}` : `${place.stem}.${format}`;
}

/** The tags of a job's file names before anything is recognized: its transcript's, then name.en for the translation
 * when both tasks run; undefined when the names need the language and it is not known yet. */
export function plannedTags(settings: JobSettings, language: string | null): (string | undefined)[] | undefined {
  const output = settings.output;
  if (output.languageSuffix && !language) return undefined;
  const tasks = tasksOf(settings);
  const source = nameTag({ task: tasks[0]!, language: language ?? '' }, output, false);
  return tasks.length > 1 ? [source, nameTag({ task: 'translate', language: 'en' }, output, true)] : [source];
}

const SUBTITLE_EXTENSIONS = ['srt', 'vtt', 'ass', 'ssa', 'sub'];

/** The subtitles for `language` a media library may already hold beside the recording (name.<lang>.srt in either code
 * style, or the plain name.srt this job would write), to look for on the disk. */
export function subtitleNames(place: OutputPlace, language: string, output: OutputSettings): string[] {
  const tags = output.languageSuffix ? languageTags(language) : [undefined];
  return tags.flatMap((tag) =>
    SUBTITLE_EXTENSIONS.map((ext) => (tag ? `${place.stem}.${tag}.${ext}` : `${place.stem}.${ext}`)),
  );
}

/** Where the failure report of outputs named `stem` goes. */
export function errorReportPath(stem: string): string {
  return `${stem}.error.txt`;
}
