// JSON writer: the whole document, segments numbered, with word timings.
import type { TranscriptDocument } from '../../core/transcriptDocument.js';

export function renderJson(doc: TranscriptDocument): string {
  const { segments, ...meta } = doc;
  return JSON.stringify({ ...meta, segments: segments.map((s, id) => ({ id, ...s })) }, null, 2) + '\n';
}
