// Subtitle rule checker: parses SRT and reports, per cue, which broadcast rules it breaks, plus summary numbers.
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../src/config/config.js';
import { functionWordsFor, isFunctionWord } from '../../src/output/render/functionWords.js';

export interface SrtCue {
  index: number;
  start: number;
  end: number;
  lines: string[];
}

export type Rule = 'line-length' | 'line-count' | 'too-short' | 'too-long' | 'reading-speed' | 'gap' | 'dangling-word';

export interface CueReport {
  cue: SrtCue;
  broken: Rule[];
}

export interface Summary {
  cues: number;
  passing: number;
  passingShare: number; // cues that meet every rule / cues
  shortNotInPause: number; // cues shorter than the minimum not surrounded by pauses of more than 1 s
  lines: number;
  danglingLines: number; // lines ending on a bare English article, preposition or conjunction
  danglingShare: number;
  byRule: Record<Rule, number>;
}

const PAUSE_AROUND_SHORT_SEC = 1;
const ENGLISH = functionWordsFor('en');
const EPS = 1e-6;

const seconds = (t: string): number => {
  const m = /^(\d+):(\d{2}):(\d{2})[,.](\d{3})$/.exec(t.trim());
  if (!m) throw new Error(`bad SRT time stamp: ${t}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
};

/** Cues of an SRT file (CRLF and a byte-order mark are tolerated). */
export function parseSrt(text: string): SrtCue[] {
  const body = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .trim();
  if (!body) return [];
  return body.split(/\n{2,}/).map((block) => {
    const [num, timing, ...lines] = block.split('\n');
    const m = /^(\S+)\s+-->\s+(\S+)/.exec(timing ?? '');
    if (!m) throw new Error(`bad SRT timing line in cue ${num}: ${timing}`);
    return { index: Number(num), start: seconds(m[1]!), end: seconds(m[2]!), lines };
  });
}

/** Characters as a reader sees them (code points, not UTF-16 units). */
const chars = (s: string) => [...s].length;

/** True when the line's last word is a bare English article, preposition or conjunction. */
export function endsDangling(line: string): boolean {
  const last = line.trim().split(/\s+/).at(-1) ?? '';
  return isFunctionWord(last, ENGLISH);
}

/** Which rules each cue breaks. */
export function checkCues(cues: readonly SrtCue[], rules: SubtitleSettings = DEFAULT_SUBTITLES): CueReport[] {
  return cues.map((cue, k) => {
    const broken: Rule[] = [];
    const duration = cue.end - cue.start;
    if (cue.lines.some((l) => chars(l) > rules.maxLineChars)) broken.push('line-length');
    if (cue.lines.length > rules.maxLines || cue.lines.length === 0) broken.push('line-count');
    if (duration < rules.minDurationSec - EPS) broken.push('too-short');
    if (duration > rules.maxDurationSec + EPS) broken.push('too-long');
    const read = cue.lines.reduce((n, l) => n + chars(l), 0);
    if (duration <= 0 || read / duration > rules.maxCharsPerSec + EPS) broken.push('reading-speed');
    const next = cues[k + 1];
    if (next && next.start - cue.end < Math.round(rules.minGapSec * 1000) / 1000 - EPS) broken.push('gap');
    if (cue.lines.some(endsDangling)) broken.push('dangling-word');
    return { cue, broken };
  });
}

/** Summary numbers of a checked file or of several files' reports put together. */
export function summarize(reports: readonly CueReport[][], rules: SubtitleSettings = DEFAULT_SUBTITLES): Summary {
  const byRule = {
    'line-length': 0,
    'line-count': 0,
    'too-short': 0,
    'too-long': 0,
    'reading-speed': 0,
    gap: 0,
    'dangling-word': 0,
  };
  let cues = 0,
    passing = 0,
    shortNotInPause = 0,
    lines = 0,
    danglingLines = 0;
  for (const file of reports) {
    file.forEach(({ cue, broken }, k) => {
      cues++;
      if (!broken.length) passing++;
      for (const r of broken) byRule[r]++;
      lines += cue.lines.length;
      danglingLines += cue.lines.filter(endsDangling).length;
      if (cue.end - cue.start < rules.minDurationSec - EPS) {
        const before = k > 0 ? cue.start - file[k - 1]!.cue.end : Infinity;
        const after = k + 1 < file.length ? file[k + 1]!.cue.start - cue.end : Infinity;
        if (!(before > PAUSE_AROUND_SHORT_SEC && after > PAUSE_AROUND_SHORT_SEC)) shortNotInPause++;
      }
    });
  }
  return {
    cues,
    passing,
    passingShare: cues ? passing / cues : 1,
    shortNotInPause,
    lines,
    danglingLines,
    danglingShare: lines ? danglingLines / lines : 0,
    byRule,
  };
}

/** Parse and check one SRT text. */
export function checkSrt(text: string, rules: SubtitleSettings = DEFAULT_SUBTITLES): CueReport[] {
  return checkCues(parseSrt(text), rules);
}
