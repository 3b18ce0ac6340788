// Splits segments into subtitle cues: at most two lines of about 42 characters and 7 seconds each,
// cut at word boundaries by word timings when there are any.
import type { Segment, Word } from '../contract.js';

export interface Cue {
  start: number;
  end: number;
  lines: string[];
}

export const MAX_LINE = 42;
const MAX_LINES = 2;
const MAX_SECONDS = 7;

/** Wrap text into lines of at most `width` characters (a longer single word gets its own line). */
export function wrap(text: string, width = MAX_LINE): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** Balance text over as few lines as fit, preferring two even lines to one long and one short. */
function layout(text: string): string[] {
  const lines = wrap(text);
  if (lines.length !== 2) return lines;
  const words = text.split(/\s+/).filter(Boolean);
  let best = lines;
  let bestDiff = Math.abs(lines[0]!.length - lines[1]!.length);
  for (let i = 1; i < words.length; i++) {
    const a = words.slice(0, i).join(' ');
    const b = words.slice(i).join(' ');
    if (a.length > MAX_LINE || b.length > MAX_LINE) continue;
    const diff = Math.abs(a.length - b.length);
    if (diff < bestDiff) { best = [a, b]; bestDiff = diff; }
  }
  return best;
}

/** Cues for a list of segments. Empty segments are dropped; times never run backwards. */
export function toCues(segments: Segment[]): Cue[] {
  const cues: Cue[] = [];
  for (const seg of segments) {
    const text = seg.text.trim();
    if (!text) continue;
    const pieces = seg.words.length ? splitByWords(seg.words) : splitByText(seg);
    for (const p of pieces) {
      const start = Math.max(p.start, cues.at(-1)?.end ?? 0);
      cues.push({ start, end: Math.max(start + 0.001, p.end), lines: layout(p.text) });
    }
  }
  return cues;
}

function splitByWords(words: Word[]): { start: number; end: number; text: string }[] {
  const out: { start: number; end: number; text: string }[] = [];
  const emit = (group: Word[]) => {
    const text = group.map((w) => w.word).join('').trim();
    if (text) out.push({ start: group[0]!.start, end: group.at(-1)!.end, text });
  };
  let group: Word[] = [];
  for (const w of words) {
    const candidate = [...group, w].map((x) => x.word).join('').trim();
    const tooLong = wrap(candidate).length > MAX_LINES;
    const tooSlow = group.length > 0 && w.end - group[0]!.start > MAX_SECONDS;
    if (group.length && (tooLong || tooSlow)) {
      // Prefer to end the cue after punctuation in its second half, and carry the rest into the next cue.
      const cut = lastPunctuation(group);
      emit(group.slice(0, cut));
      group = group.slice(cut);
    }
    group.push(w);
  }
  if (group.length) emit(group);
  return out;
}

/** Index after the last word in the second half of `group` that ends a clause, else the whole group. */
function lastPunctuation(group: Word[]): number {
  for (let i = group.length - 1; i >= Math.ceil(group.length / 2); i--) {
    if (/[.,;:!?]$/.test(group[i - 1]!.word.trim())) return i;
  }
  return group.length;
}

function splitByText(seg: Segment): { start: number; end: number; text: string }[] {
  const lines = wrap(seg.text.trim());
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += MAX_LINES) chunks.push(lines.slice(i, i + MAX_LINES).join(' '));
  const total = chunks.reduce((n, c) => n + c.length, 0) || 1;
  let t = seg.start;
  return chunks.map((text) => {
    const start = t;
    t += ((seg.end - seg.start) * text.length) / total;
    return { start, end: t, text };
  });
}
