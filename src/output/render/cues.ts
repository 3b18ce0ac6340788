// Splits a transcript into subtitle cues that follow broadcast rules (line length and count, duration,
// reading speed, gaps, pauses): the cut points of each stretch of speech between long pauses are chosen
// together (dynamic programming) so cues end after sentences or clauses and no short word is left alone.
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../config/config.js';
import type { Segment } from '../../core/contract.js';
import { limitsMs, neededMs, timeCues } from './cueTiming.js';
import { functionWordsFor, type Boundary } from './functionWords.js';
import { layoutLines } from './lineBreak.js';
import { displayWidth, oneLine, unitsOf, type Unit } from './textUnits.js';

export interface Cue {
  start: number;
  end: number;
  lines: string[];
  speaker?: string; // one speaker a cue: a change of speaker always ends a cue
}

/** The name a cue shows where speaker `id` starts to speak (SRT's `NAME: text`), or undefined for none. */
export type SpeakerLabel = (id: string | undefined) => string | undefined;

/** A label's unit is the speaker's name and a colon, as a word glued to the speech after it. */
interface LabelUnit extends Unit {
  label?: true;
}

interface Group {
  from: number;
  to: number;
  lines: string[];
  width: number;
}

// Costs of a candidate cue (lower is better). A broken rule outweighs every matter of style.
const RULE_BROKEN = 200;
const PER_CUE = 6;
const ORPHAN = { oneUnit: 45, short: 30 };
const SHORT_WIDTH = 12;
const END_COST: Record<Boundary, number> = { sentence: 0, clause: 6, plain: 20, function: 60 };
const END_BONUS = { segmentEnd: -4, pause: -10 };
/** A sentence end, pause or segment end inside a cue: the cue runs two thoughts together. */
const INSIDE = { sentence: 8, pause: 12, segmentEnd: 4 };
const NATURAL_PAUSE_SEC = 0.3;

/** How cues are cut: the subtitle rules (default: the config's defaults), the language (default: English), and a
 * speaker's label. */
export interface CueOptions {
  settings?: SubtitleSettings;
  language?: string;
  label?: SpeakerLabel;
}

/**
 * Cues for a transcript; `language` picks the list of words a line should not end on. With `label`, the first cue
 * after each change of speaker starts with the speaker's name (`NAME: `), which counts like any word in the line
 * length and reading speed.
 */
export function toCues(segments: readonly Segment[], options: CueOptions = {}): Cue[] {
  const { settings = DEFAULT_SUBTITLES, language = 'en', label } = options;
  const plain = unitsOf(segments, settings.maxLineChars, functionWordsFor(language));
  const units = label ? withLabels(plain, label, settings.maxLineChars) : plain;
  const groups: Group[] = [];
  for (const block of pauseBlocks(units, settings.splitPauseSec)) groups.push(...splitBlock(units, block, settings));
  const times = timeCues(
    groups.map((g) => ({ start: units[g.from]!.start, end: units[g.to - 1]!.end, width: g.width })),
    settings,
  );
  return groups.map((g, k) => ({ ...times[k]!, lines: g.lines, speaker: units[g.from]!.speaker }));
}

/** `units` with a name unit before the first unit of each speaker's turn. */
function withLabels(units: readonly Unit[], label: SpeakerLabel, maxLineChars: number): LabelUnit[] {
  const out: LabelUnit[] = [];
  units.forEach((u, k) => {
    const name = k === 0 || u.speaker !== units[k - 1]!.speaker ? label(u.speaker) : undefined;
    if (!name) return out.push(u);
    const text = `${fitName(oneLine(name).trim(), Math.floor(maxLineChars / 2))}:`;
    const start = u.start;
    out.push({
      text,
      space: true,
      width: displayWidth(text),
      boundary: 'function',
      start,
      end: start,
      segmentEnd: false,
      speaker: u.speaker,
      label: true,
    });
    out.push({ ...u, space: true });
  });
  return out;
}

/** A name cut to `max` display columns (with an ellipsis), so a line always has room for speech. */
function fitName(name: string, max: number): string {
  if (displayWidth(name) <= max) return name;
  let out = '';
  for (const ch of name) {
    if (displayWidth(out + ch) >= max) break;
    out += ch;
  }
  return `${out}…`;
}

/** [from, to) ranges of units with no pause longer than `pauseSec` and no change of speaker inside. */
export function pauseBlocks(units: readonly Unit[], pauseSec: number): [number, number][] {
  const blocks: [number, number][] = [];
  let from = 0;
  for (let k = 1; k <= units.length; k++) {
    if (
      k === units.length ||
      units[k]!.start - units[k - 1]!.end > pauseSec ||
      units[k]!.speaker !== units[k - 1]!.speaker
    ) {
      if (k > from) blocks.push([from, k]);
      from = k;
    }
  }
  return blocks;
}

/** The cheapest way to cut units[from, to) into cues. */
function splitBlock(units: readonly LabelUnit[], [from, to]: [number, number], s: SubtitleSettings): Group[] {
  const best: { cost: number; group?: Group }[] = [{ cost: 0 }];
  const maxWidth = s.maxLineChars * s.maxLines;
  for (let j = from; j < to; j++) {
    if (units[j]!.label && j < to - 1) {
      best.push({ cost: Infinity }); // a name never ends a cue: it leads the speech that follows
      continue;
    }
    let entry: { cost: number; group?: Group } = { cost: Infinity };
    const end = endCost(units, j, to);
    let width = 0;
    let inside = 0;
    for (let i = j; i >= from; i--) {
      width += units[i]!.width + (i < j && units[i + 1]!.space ? 1 : 0);
      if (i < j) inside += insideCost(units, i);
      if (i < j && (units[j]!.end - units[i]!.start > s.maxDurationSec || width > maxWidth)) break;
      const layout = layoutLines(units, { maxWidth: s.maxLineChars, maxLines: s.maxLines, from: i, to: j + 1 });
      if (!layout) break;
      const cost =
        best[i - from]!.cost +
        PER_CUE +
        Math.max(0, layout.cost) +
        timingCost(units, { first: i, last: j, blockStart: from, width }, s) +
        end +
        inside +
        orphanCost(j - i + 1, width, i === from && j === to - 1);
      if (cost < entry.cost) entry = { cost, group: { from: i, to: j + 1, lines: layout.lines, width } };
    }
    best.push(entry);
  }
  const groups: Group[] = [];
  for (let k = to - from; k > 0;) {
    const g = best[k]!.group!;
    groups.unshift(g);
    k = g.from - from;
  }
  return groups;
}

/** A candidate cue: units[first..last] of the stretch of speech starting at `blockStart`, `width` columns wide. */
interface CandidateCue {
  first: number;
  last: number;
  blockStart: number;
  width: number;
}

/** Broken timing rules of a candidate cue, estimated as the cue timing will set it. */
function timingCost(units: readonly Unit[], cue: CandidateCue, s: SubtitleSettings): number {
  const { first: i, last: j, blockStart, width } = cue;
  const lim = limitsMs(s);
  const start = units[i]!.start;
  const next = j + 1 < units.length ? units[j + 1]!.start - lim.gap / 1000 : Infinity;
  const before = i === blockStart && i > 0 ? units[i - 1]!.end + lim.gap / 1000 : start;
  const lead = Math.max(0, Math.min(lim.leadIn / 1000, start - before));
  const room = Math.min(next, start + s.maxDurationSec) - start + lead;
  const shown = Math.min(Math.max(units[j]!.end - start, neededMs(width, s) / 1000), room);
  let cost = 0;
  if (shown < s.minDurationSec) cost += RULE_BROKEN * (1 + (s.minDurationSec - shown) / s.minDurationSec);
  const cps = width / Math.max(shown, 1e-3);
  if (cps > s.maxCharsPerSec) cost += RULE_BROKEN * (1 + (cps - s.maxCharsPerSec) / s.maxCharsPerSec);
  return cost;
}

/** How good a place the end of units[j] is to end a cue; the end of a stretch of speech is always good. */
function endCost(units: readonly Unit[], j: number, blockEnd: number): number {
  if (j === blockEnd - 1) return 0;
  const unit = units[j]!;
  let cost = END_COST[unit.boundary];
  if (unit.segmentEnd) cost += END_BONUS.segmentEnd;
  if (units[j + 1]!.start - unit.end >= NATURAL_PAUSE_SEC) cost += END_BONUS.pause;
  return Math.max(0, cost);
}

/** Cost of a cue running on past units[k] when a sentence, pause or segment ends there. */
function insideCost(units: readonly Unit[], k: number): number {
  let cost = units[k]!.boundary === 'sentence' ? INSIDE.sentence : 0;
  if (units[k + 1]!.start - units[k]!.end >= NATURAL_PAUSE_SEC) cost += INSIDE.pause;
  if (units[k]!.segmentEnd) cost += INSIDE.segmentEnd;
  return cost;
}

/** A cue of one or two units, or very few characters, inside a stretch of speech is an orphan. */
function orphanCost(count: number, width: number, wholeBlock: boolean): number {
  if (wholeBlock) return 0;
  if (count === 1) return ORPHAN.oneUnit;
  return count === 2 || width < SHORT_WIDTH ? ORPHAN.short : 0;
}
