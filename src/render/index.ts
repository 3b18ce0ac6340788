// Registry of writers by file extension.
import type { Format } from '../config.js';
import type { TranscriptDocument } from './document.js';
import { renderJson } from './json.js';
import { renderSrt } from './srt.js';
import { renderTxt } from './txt.js';
import { renderVtt } from './vtt.js';

export type { TranscriptDocument };
export const RENDERERS: Record<Format, (doc: TranscriptDocument) => string> = {
  srt: renderSrt,
  vtt: renderVtt,
  txt: renderTxt,
  json: renderJson,
};
