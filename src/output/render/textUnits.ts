// Timed text units for subtitles: words of spaced scripts, single characters of Chinese and Japanese
// (which have no spaces), joined without inserting spaces between CJK characters. Right-to-left text is
// kept in logical order; nothing here reorders characters.
import type { Segment } from '../../core/contract.js';
import { boundaryAfter, type Boundary } from './functionWords.js';

/** What line breaking needs to know of a unit of text. */
export interface LineUnit {
  text: string;
  space: boolean; // a space separates it from the unit before
  width: number; // displayWidth(text)
  boundary: Boundary; // the kind of break after it
}

export interface Unit extends LineUnit {
  start: number;
  end: number;
  segmentEnd: boolean; // the last unit of a transcript segment
  speaker?: string; // the segment's speaker id, when diarized
}

/** Han ideographs and Japanese kana: scripts written without spaces, broken between any two characters. */
const UNSPACED = /[\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
/** Characters shown full width (count twice against a line width or reading speed). */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{2fa1f}]/u;
/** Punctuation that belongs to the character before it (never starts a line or a cue). */
const CLOSING = /^[\p{Pe}\p{Pf}\p{Po}]+$/u;

/** Display width: characters, with full-width (CJK) characters counting two. */
export function displayWidth(text: string): number {
  let n = 0;
  for (const ch of text) n += WIDE.test(ch) ? 2 : 1;
  return n;
}

/** Text kept on one line: a run of spaces, line breaks, line or paragraph separators or other control characters
 * becomes one space. A subtitle's structure is made of line breaks, so no text from a transcript may carry one. */
export function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ');
}

/** Join units into text: a space only where the transcript had one. */
export function joinUnits(units: readonly Pick<Unit, 'text' | 'space'>[]): string {
  return units.map((u, i) => (i > 0 && u.space ? ' ' : '') + u.text).join('');
}

interface RawWord {
  word: string;
  start: number;
  end: number;
}

/**
 * Units of all segments in time order; a segment without word timings gets times interpolated by characters.
 * `functionWords` (of the transcript's language) classify the break after each unit.
 */
export function unitsOf(segments: readonly Segment[], maxWidth: number, functionWords: Set<string>): Unit[] {
  const units: Unit[] = [];
  for (const seg of segments) {
    if (!seg.text.trim()) continue;
    const words: RawWord[] = seg.words.length ? seg.words : interpolate(seg);
    const before = units.length;
    for (const w of words) pushWord(units, w, maxWidth);
    if (units.length > before) units.at(-1)!.segmentEnd = true;
    if (seg.speaker) for (const u of units.slice(before)) u.speaker = seg.speaker;
  }
  for (const u of units) {
    u.width = displayWidth(u.text);
    u.boundary = boundaryAfter(u.text, functionWords);
  }
  return units;
}

/** Words of a segment that has none, timed in proportion to their characters. */
function interpolate(seg: Segment): RawWord[] {
  const parts = seg.text.trim().split(/\s+/);
  const total = parts.reduce((n, p) => n + displayWidth(p), 0) || 1;
  let t = seg.start;
  return parts.map((p) => {
    const start = t;
    t += ((seg.end - seg.start) * displayWidth(p)) / total;
    return { word: ` ${p}`, start, end: t };
  });
}

/** Add one recognizer word: split into characters when unspaced (or wider than a line), punctuation attached. */
function pushWord(units: Unit[], w: RawWord, maxWidth: number): void {
  const text = oneLine(w.word).trim();
  if (!text) return;
  const space = /^\s/.test(w.word) || units.length === 0;
  const start = Math.max(w.start, units.at(-1)?.start ?? 0);
  const end = Math.max(start, w.end);
  const prev = units.at(-1);
  if (CLOSING.test(text) && prev && !space) {
    prev.text += text; // a stray "," or "。" joins the character before it
    prev.end = Math.max(prev.end, end);
    return;
  }
  const pieces = UNSPACED.test(text) || displayWidth(text) > maxWidth ? characters(text) : [text];
  const total = pieces.reduce((n, p) => n + displayWidth(p), 0);
  let t = start;
  pieces.forEach((p, i) => {
    const next = t + ((end - start) * displayWidth(p)) / total;
    units.push({
      text: p,
      space: i === 0 && space,
      start: t,
      end: next,
      segmentEnd: false,
      width: 0,
      boundary: 'plain',
    }); // width, boundary: set in unitsOf
    t = next;
  });
}

/** Characters of a word, each with the punctuation that follows it. */
function characters(text: string): string[] {
  const out: string[] = [];
  for (const ch of text) {
    if (out.length && CLOSING.test(ch)) out[out.length - 1] += ch;
    else out.push(ch);
  }
  return out;
}
