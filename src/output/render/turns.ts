// Speaker turns for documents (DOCX, Markdown, TXT): segments run on until the speaker changes or a pause of two
// seconds or more; each turn knows when it starts and the label of who speaks.
import type { Segment } from '../../core/contract.js';
import { speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { oneLine } from './textUnits.js';

export interface Turn {
  speaker?: string; // the label a reader sees (name or `Speaker N`), undefined with fewer than two speakers
  start: number;
  end: number;
  segments: Segment[]; // each with text on one line, trimmed, and not empty
}

export const PARAGRAPH_PAUSE_SEC = 2;

/** The turns of a document in time order. */
export function turnsOf(doc: TranscriptDocument): Turn[] {
  const turns: Turn[] = [];
  for (const seg of doc.segments) {
    const text = oneLine(seg.text).trim();
    if (!text) continue;
    const label = speakerLabel(doc, seg.speaker);
    const speaker = label === undefined ? undefined : oneLine(label).trim();
    const last = turns.at(-1);
    if (!last || seg.start - last.end >= PARAGRAPH_PAUSE_SEC || speaker !== last.speaker)
      turns.push({ speaker, start: seg.start, end: seg.end, segments: [] });
    const turn = turns.at(-1)!;
    turn.segments.push({ ...seg, text });
    turn.end = seg.end;
  }
  return turns;
}

/** A turn's text in pieces, each led by the time to stamp before it: the turn's start, then the first segment
 * starting `everySec` or more after the last stamp (everySec 0: only the start). */
export function stampedPieces(turn: Turn, everySec: number): { at: number; text: string }[] {
  const pieces: { at: number; text: string }[] = [];
  let stamp = -Infinity;
  for (const seg of turn.segments) {
    if (!pieces.length || (everySec > 0 && seg.start - stamp >= everySec)) {
      pieces.push({ at: seg.start, text: seg.text });
      stamp = seg.start;
    } else pieces.at(-1)!.text += `${joiner(pieces.at(-1)!.text, seg.text)}${seg.text}`;
  }
  return pieces;
}

/** No space between two CJK characters (Chinese and Japanese are written without). */
function joiner(before: string, after: string): string {
  const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u3000-\u303f]/u;
  return cjk.test(before.at(-1) ?? '') && cjk.test(after[0] ?? '') ? '' : ' ';
}
