// Balanced line breaking of one cue: one line when it fits, else the break that keeps lines even or
// bottom-heavy, prefers punctuation, and avoids ending a line on an article, preposition or conjunction.
import { boundaryAfter, type Boundary } from './functionWords.js';
import { displayWidth, joinUnits, type LineUnit } from './textUnits.js';

export interface Layout {
  lines: string[];
  cost: number;
}

const BREAK_COST: Record<Boundary, number> = { sentence: -12, clause: -8, function: 60, plain: 0 };
const TOP_HEAVY_PER_CHAR = 1;
/** A bottom-heavy pyramid is fine; a very short top line is not: cost grows with the square of the difference. */
const BOTTOM_HEAVY_SCALE = 40;

/** Line units of plain words (for callers that have text rather than timed units). */
export function lineUnits(words: readonly { text: string; space: boolean }[], functionWords: Set<string>): LineUnit[] {
  return words.map((w) => ({ ...w, width: displayWidth(w.text), boundary: boundaryAfter(w.text, functionWords) }));
}

/** The lines a cue may take, and the units to lay out on them: units[from, to) (default: all). */
export interface LineLimits {
  maxWidth: number;
  maxLines: number;
  from?: number;
  to?: number;
}

/**
 * Lay units[from, to) out on at most `maxLines` lines of `maxWidth`; null when they do not fit.
 * Each unit must itself fit on a line (textUnits splits longer words).
 */
export function layoutLines(units: readonly LineUnit[], limits: LineLimits): Layout | null {
  const { maxWidth, maxLines, from = 0, to = units.length } = limits;
  if (to <= from) return { lines: [], cost: 0 };
  // prefix[k]: width of units[from, from + k) joined; a line drops the space before its first unit.
  const prefix = [0];
  for (let k = from; k < to; k++) prefix.push(prefix.at(-1)! + (k > from && units[k]!.space ? 1 : 0) + units[k]!.width);
  const width = (a: number, b: number) => prefix[b - from]! - prefix[a - from]! - (a > from && units[a]!.space ? 1 : 0);
  const line = (a: number, b: number) => joinUnits(units.slice(a, b));
  if (width(from, to) <= maxWidth) return { lines: [line(from, to)], cost: 0 };
  // best[a][left]: cheapest layout of units[a, to) on at most `left` lines, as its first cut and cost.
  const memo = new Map<number, { cut: number; cost: number; firstWidth: number } | null>();
  const best = (a: number, left: number): { cut: number; cost: number; firstWidth: number } | null => {
    const key = a * (maxLines + 1) + left;
    if (memo.has(key)) return memo.get(key)!;
    let result: { cut: number; cost: number; firstWidth: number } | null = null;
    if (width(a, to) <= maxWidth) {
      result = { cut: to, cost: 0, firstWidth: width(a, to) };
    } else if (left > 1) {
      for (let cut = a + 1; cut < to; cut++) {
        const top = width(a, cut);
        if (top > maxWidth) break;
        const rest = best(cut, left - 1);
        if (!rest) continue;
        const below = rest.firstWidth;
        const balance =
          top > below ? (top - below) * TOP_HEAVY_PER_CHAR : BOTTOM_HEAVY_SCALE * ((below - top) / maxWidth) ** 2;
        const cost = rest.cost + balance + BREAK_COST[units[cut - 1]!.boundary];
        if (!result || cost < result.cost) result = { cut, cost, firstWidth: top };
      }
    }
    memo.set(key, result);
    return result;
  };
  const first = best(from, maxLines);
  if (!first) return null;
  const lines: string[] = [];
  for (let a = from, left = maxLines; a < to; left--) {
    const step = best(a, left)!;
    lines.push(line(a, step.cut));
    a = step.cut;
  }
  return { lines, cost: first.cost };
}
