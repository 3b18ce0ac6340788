// Plain text writer: sentences run on; a pause of two seconds or more, or a change of speaker, starts a new paragraph
// (`Speaker 1:` or the name in front when the recording has two speakers or more): the speaker turns of turns.ts.
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { turnsOf } from './turns.js';

export function renderTxt(doc: TranscriptDocument): string {
  const paragraphs = turnsOf(doc).map((t) => [
    ...(t.speaker ? [`${t.speaker}:`] : []),
    ...t.segments.map((s) => s.text),
  ]);
  return paragraphs.map((p) => p.join(' ')).join('\n\n') + '\n';
}
