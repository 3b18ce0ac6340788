// Plain text writer: sentences run on; a pause of two seconds or more starts a new paragraph.
import type { TranscriptDocument } from '../../core/transcriptDocument.js';

const PARAGRAPH_PAUSE_SEC = 2;

export function renderTxt(doc: TranscriptDocument): string {
  const paragraphs: string[][] = [];
  let lastEnd = -Infinity;
  for (const seg of doc.segments) {
    const text = seg.text.trim();
    if (!text) continue;
    if (!paragraphs.length || seg.start - lastEnd >= PARAGRAPH_PAUSE_SEC) paragraphs.push([]);
    paragraphs.at(-1)!.push(text);
    lastEnd = seg.end;
  }
  return paragraphs.map((p) => p.join(' ')).join('\n\n') + '\n';
}
