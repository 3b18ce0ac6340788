// Corrections a user makes in the web page, checked by zod and applied to a transcript document (pure): a word, a
// segment's text (its words re-timed across the segment), or a speaker's name; what the user typed is kept on one
// line.
import { z } from 'zod';
import type { Segment, Word } from '../core/contract.js';
import type { TranscriptDocument } from './render/index.js';
import { oneLine } from './render/textUnits.js';

const index = z.number().int().nonnegative();
/** Text a user typed, on one line (a line break in a word or a name would end a subtitle cue early), trimmed. */
const typed = (max: number) =>
  z
    .string()
    .max(max * 4)
    .transform((t) => oneLine(t).trim())
    .pipe(z.string().min(1).max(max));
export const Correction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('word'), segment: index, word: index, text: typed(200) }),
  z.object({ kind: z.literal('segment'), segment: index, text: typed(5000) }),
  z.object({ kind: z.literal('speaker'), id: z.string().min(1).max(40), name: typed(100) }),
]);
export type Correction = z.infer<typeof Correction>;

/** A correction that does not fit the transcript (no such segment, word or speaker). */
export class CorrectionError extends Error {
  override name = 'CorrectionError';
}

interface Speaker {
  id: string;
  name: string;
  speechSec?: number;
}
type WithSpeakers = TranscriptDocument & { speakers?: Speaker[] };

/** The document with the correction applied; the input is left as it was. */
export function applyCorrection(doc: TranscriptDocument, c: Correction): TranscriptDocument {
  if (c.kind === 'speaker') return renameSpeaker(doc, c.id, c.name);
  const seg = doc.segments[c.segment];
  if (!seg) throw new CorrectionError(`the transcript has no segment ${c.segment}`);
  const next = c.kind === 'word' ? withWord(seg, c.word, c.text) : withText(seg, c.text);
  return { ...doc, segments: doc.segments.map((s, i) => (i === c.segment ? next : s)) };
}

function withWord(seg: Segment, at: number, text: string): Segment {
  const old = seg.words[at];
  if (!old) throw new CorrectionError(`segment has no word ${at}`);
  const lead = /^\s*/.exec(old.word)![0];
  const words = seg.words.map((w, i) => (i === at ? { ...w, word: lead + text, probability: 1 } : w));
  return { ...seg, words, text: words.map((w) => w.word).join('') };
}

/** New text for a segment: its words keep their times when the count is unchanged, else they are spread over the
 * segment's span in proportion to their length. */
function withText(seg: Segment, text: string): Segment {
  const tokens = text.split(/\s+/).filter(Boolean);
  if (!seg.words.length) return { ...seg, text: ` ${tokens.join(' ')}` };
  const extra = seg as Segment & { speaker?: string };
  const words: Word[] =
    tokens.length === seg.words.length
      ? seg.words.map((w, i) => ({ ...w, word: ` ${tokens[i]}`, probability: 1 }))
      : spread(tokens, seg.words[0]!.start, seg.words.at(-1)!.end);
  const speaker = extra.speaker === undefined ? {} : { speaker: extra.speaker };
  return { ...seg, text: ` ${tokens.join(' ')}`, words: words.map((w) => ({ ...w, ...speaker })) };
}

function spread(tokens: string[], start: number, end: number): Word[] {
  const total = tokens.reduce((n, t) => n + t.length, 0);
  let at = start;
  return tokens.map((t) => {
    const len = ((end - start) * t.length) / total;
    const w = { word: ` ${t}`, start: round(at), end: round(at + len), probability: 1 };
    at += len;
    return w;
  });
}

const round = (s: number) => Math.round(s * 1000) / 1000;

function renameSpeaker(doc: TranscriptDocument, id: string, name: string): TranscriptDocument {
  const speakers = (doc as WithSpeakers).speakers;
  if (!speakers?.some((s) => s.id === id)) throw new CorrectionError(`the transcript has no speaker ${id}`);
  return { ...doc, speakers: speakers.map((s) => (s.id === id ? { ...s, name } : s)) } as TranscriptDocument;
}
