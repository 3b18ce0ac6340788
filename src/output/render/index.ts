// Registry of writers by file extension.
import type { Format, SubtitleSettings } from '../../config/config.js';
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { renderAss } from './ass.js';
import { renderCsv } from './csv.js';
import { renderDocx } from './docx.js';
import { renderFcpxml } from './fcpxml.js';
import { renderJson } from './json.js';
import { renderLrc } from './lrc.js';
import { renderMd } from './md.js';
import { renderSrt } from './srt.js';
import { renderTxt } from './txt.js';
import { renderVtt } from './vtt.js';

export type { TranscriptDocument };
/** A rendered file: text (UTF-8), or bytes (DOCX). */
export type Rendered = string | Uint8Array;
export type Renderer = (doc: TranscriptDocument, subtitles?: SubtitleSettings, recording?: string) => Rendered;
/** Writers by format; they take the cue rules and writing settings of config.subtitles (defaults when omitted) and the
 * recording's path (FCPXML puts a video's captions into its clip). Each keeps its own result type (DOCX bytes, the
 * others text). */
export const RENDERERS = {
  srt: renderSrt,
  vtt: renderVtt,
  txt: renderTxt,
  json: renderJson,
  docx: renderDocx,
  md: renderMd,
  csv: renderCsv,
  ass: renderAss,
  lrc: renderLrc,
  fcpxml: renderFcpxml,
} satisfies Record<Format, Renderer>;
