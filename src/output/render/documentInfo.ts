// What a document (DOCX, Markdown) says about its transcript before the text: title, recording, date, language,
// length and speakers; and the direction of its script.
import { basename, extname } from 'node:path';
import { speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { duration } from './clock.js';
import { textLanguage } from '../outputNames.js';
import { oneLine } from './textUnits.js';

export interface DocumentInfo {
  title: string;
  rows: [string, string][];
}

/** The title (the recording's name without extension) and the facts shown under it. */
export function documentInfo(doc: TranscriptDocument): DocumentInfo {
  const language = textLanguage(doc);
  const names = (doc.speakers ?? []).map((s) => speakerLabel(doc, s.id)).filter((n) => n !== undefined);
  const rows: [string, string][] = [
    ['Recording', oneLine(doc.source)],
    ['Date', doc.createdAt.slice(0, 10)],
    ['Language', languageName(language)],
    ['Length', duration(doc.durationSec)],
  ];
  if (names.length) rows.push(['Speakers', names.map((n) => oneLine(n).trim()).join(', ')]);
  return { title: oneLine(basename(doc.source, extname(doc.source))).trim() || 'Transcript', rows };
}

/** "German (de)", or the code alone when the runtime has no name for it. */
function languageName(code: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}
