// Registry of writers by file extension.
import type { Format, SubtitleSettings } from '../../config.js';
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { renderJson } from './json.js';
import { renderSrt } from './srt.js';
import { renderTxt } from './txt.js';
import { renderVtt } from './vtt.js';

export type { TranscriptDocument };
/** Writers by format; subtitle writers take the cue rules (defaults when omitted). */
export const RENDERERS: Record<Format, (doc: TranscriptDocument, subtitles?: SubtitleSettings) => string> = {
  srt: renderSrt,
  vtt: renderVtt,
  txt: renderTxt,
  json: renderJson,
};
