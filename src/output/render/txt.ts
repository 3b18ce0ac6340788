// Plain text writer: sentences run on; a pause of two seconds or more, or a change of speaker, starts a new paragraph
// (`Speaker 1:` or the name in front when the recording has two speakers or more).
import { speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { oneLine } from './textUnits.js';

const PARAGRAPH_PAUSE_SEC = 2;

export function renderTxt(doc: TranscriptDocument): string {
  const paragraphs: string[][] = [];
  let lastEnd = -Infinity;
  let lastSpeaker: string | undefined;
  for (const seg of doc.segments) {
    const text = oneLine(seg.text).trim();
    if (!text) continue;
    const label = speakerLabel(doc, seg.speaker);
    const speaker = label === undefined ? undefined : oneLine(label).trim();
    if (!paragraphs.length || seg.start - lastEnd >= PARAGRAPH_PAUSE_SEC || speaker !== lastSpeaker)
      paragraphs.push(speaker ? [`${speaker}:`] : []);
    paragraphs.at(-1)!.push(text);
    lastEnd = seg.end;
    lastSpeaker = speaker;
  }
  return paragraphs.map((p) => p.join(' ')).join('\n\n') + '\n';
}
