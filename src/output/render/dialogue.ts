// Two-speaker dialogue cues for SRT (Netflix's convention): when two speakers' one-line cues follow each other and
// one of them would show for less than the minimum duration, they become one cue of two lines, each led by a hyphen
// ("-Yes.", "-No."). The cue rules still hold for the joined cue, or the two cues stay apart. SRT has no other way to
// show a change of speaker, so every other cue keeps a single speaker.
import type { SubtitleSettings } from '../../config/config.js';
import type { Cue } from './cues.js';
import { limitsMs, neededMs } from './cueTiming.js';
import { displayWidth } from './textUnits.js';

const DASH = '-';

/** `cues` with each too-short exchange of two speakers joined into a dialogue cue. */
export function dialogueCues(cues: readonly Cue[], s: SubtitleSettings): Cue[] {
  const out: Cue[] = [];
  for (let k = 0; k < cues.length; k++) {
    const joined = k + 1 < cues.length ? join({ a: cues[k]!, b: cues[k + 1]!, next: cues[k + 2] }, s) : undefined;
    if (joined) {
      out.push(joined);
      k++;
    } else out.push(cues[k]!);
  }
  return out;
}

/** The dialogue cue of a and b (b followed by `next`), or undefined when they are not one or it would break a rule. */
function join({ a, b, next }: { a: Cue; b: Cue; next: Cue | undefined }, s: SubtitleSettings): Cue | undefined {
  if (!a.speaker || !b.speaker || a.speaker === b.speaker || s.maxLines < 2) return undefined;
  if (a.lines.length !== 1 || b.lines.length !== 1) return undefined;
  const lim = limitsMs(s);
  const short = (c: Cue) => Math.round((c.end - c.start) * 1000) < lim.minDuration;
  if (!short(a) && !short(b)) return undefined;
  const lines = [`${DASH}${a.lines[0]}`, `${DASH}${b.lines[0]}`];
  const widths = lines.map(displayWidth);
  if (widths.some((w) => w > s.maxLineChars)) return undefined;
  const width = widths[0]! + widths[1]!;
  const startMs = Math.round(a.start * 1000);
  const limit = next ? Math.round(next.start * 1000) - lim.gap : Infinity;
  const endMs = Math.min(Math.max(Math.round(b.end * 1000), startMs + neededMs(width, s)), limit);
  const duration = endMs - startMs;
  if (duration < lim.minDuration || duration > lim.maxDuration) return undefined;
  if ((width / duration) * 1000 > s.maxCharsPerSec) return undefined;
  return { start: startMs / 1000, end: endMs / 1000, lines };
}
