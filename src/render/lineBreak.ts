// Balanced line breaking of one cue: one line when it fits, else the break that keeps lines even or
// bottom-heavy, prefers punctuation, and avoids ending a line on an article, preposition or conjunction.
import { isFunctionWord } from './functionWords.js';
import { displayWidth, joinUnits, type Unit } from './textUnits.js';

export interface Layout {
  lines: string[];
  cost: number;
}

type TextUnit = Pick<Unit, 'text' | 'space'>;

export const SENTENCE_END = /[.!?…。！？؟]["'”’»)\]]*$/u;
export const CLAUSE_END = /[,;:，、；：،—–]["'”’»)\]]*$/u;

const FUNCTION_WORD_AT_LINE_END = 60;
const TOP_HEAVY_PER_CHAR = 1;
const BOTTOM_HEAVY_PER_CHAR = 0.25;

/** Cost of breaking a line after `unit` (lower is better). */
function breakCost(unit: TextUnit, functionWords: Set<string>): number {
  if (SENTENCE_END.test(unit.text)) return -12;
  if (CLAUSE_END.test(unit.text)) return -8;
  return isFunctionWord(unit.text, functionWords) ? FUNCTION_WORD_AT_LINE_END : 0;
}

/**
 * Lay `units` out on at most `maxLines` lines of `maxWidth`; null when they do not fit.
 * Each unit must itself fit on a line (textUnits splits longer words).
 */
export function layoutLines(units: readonly TextUnit[], maxWidth: number, maxLines: number,
  functionWords: Set<string>): Layout | null {
  const n = units.length;
  if (n === 0) return { lines: [], cost: 0 };
  // prefix[k]: width of units[0..k) joined; a line from `from` drops the space before its first unit.
  const prefix = [0];
  units.forEach((u, k) => prefix.push(prefix[k]! + (k > 0 && u.space ? 1 : 0) + displayWidth(u.text)));
  const width = (from: number, to: number) => prefix[to]! - prefix[from]! - (from > 0 && units[from]!.space ? 1 : 0);
  const memo = new Map<string, Layout | null>();
  // Best layout of units[from..] on at most `left` lines.
  const best = (from: number, left: number): Layout | null => {
    const key = `${from}:${left}`;
    if (memo.has(key)) return memo.get(key)!;
    let result: Layout | null = null;
    if (width(from, n) <= maxWidth) {
      result = { lines: [joinUnits(units.slice(from))], cost: 0 };
    } else if (left > 1) {
      for (let cut = from + 1; cut < n; cut++) {
        const top = width(from, cut);
        if (top > maxWidth) break;
        const rest = best(cut, left - 1);
        if (!rest) continue;
        const below = displayWidth(rest.lines[0]!);
        const balance = top > below ? (top - below) * TOP_HEAVY_PER_CHAR : (below - top) * BOTTOM_HEAVY_PER_CHAR;
        const cost = rest.cost + balance + breakCost(units[cut - 1]!, functionWords);
        if (!result || cost < result.cost) result = { lines: [joinUnits(units.slice(from, cut)), ...rest.lines], cost };
      }
    }
    memo.set(key, result);
    return result;
  };
  return best(0, maxLines);
}
