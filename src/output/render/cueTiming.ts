// Cue times from the speech they carry: at least the minimum duration and enough time to read, at most the
// maximum, two frames apart. Cues grow into the pause after them (and a little before) as subtitlers do.
import type { SubtitleSettings } from '../../config/config.js';

export interface Span {
  start: number; // first word starts (seconds)
  end: number; // last word ends
  width: number; // characters to read
}

/** How far a cue may start before its first word when it needs time to be read. */
export const LEAD_IN_SEC = 0.5;
/** A cue never shows for less than this, even when the words crowd it. */
const MIN_SHOWN_MS = 100;

/** The limits in whole milliseconds, rounded so that times rounded to the millisecond still meet them. */
export function limitsMs(s: SubtitleSettings) {
  return {
    gap: Math.ceil(s.minGapSec * 1000 - 1e-6),
    minDuration: Math.ceil(s.minDurationSec * 1000 - 1e-6),
    maxDuration: Math.floor(s.maxDurationSec * 1000 + 1e-6),
    leadIn: Math.round(LEAD_IN_SEC * 1000),
  };
}

/** Milliseconds needed to read `width` characters at the configured speed, and at least the minimum duration. */
export function neededMs(width: number, s: SubtitleSettings): number {
  return Math.max(limitsMs(s).minDuration, Math.ceil((width / s.maxCharsPerSec) * 1000 - 1e-6));
}

/** Start and end (seconds, whole milliseconds) of each cue; cues stay in order and never overlap. */
export function timeCues(spans: readonly Span[], s: SubtitleSettings): { start: number; end: number }[] {
  const lim = limitsMs(s);
  const ms = (t: number) => Math.round(t * 1000);
  const out: { start: number; end: number }[] = [];
  let prevEnd = -Infinity;
  spans.forEach((span, k) => {
    const earliest = Math.max(0, prevEnd + lim.gap);
    let start = Math.max(ms(span.start), earliest);
    const limit = k + 1 < spans.length ? ms(spans[k + 1]!.start) - lim.gap : Infinity;
    const need = neededMs(span.width, s);
    let end = Math.min(Math.max(ms(span.end), start + need), limit, start + lim.maxDuration);
    if (end - start < need) {
      const lead = Math.min(need - (end - start), lim.leadIn, start - earliest, lim.maxDuration - (end - start));
      start -= Math.max(0, lead);
    }
    end = Math.max(end, start + MIN_SHOWN_MS);
    out.push({ start: start / 1000, end: end / 1000 });
    prevEnd = end;
  });
  return out;
}
