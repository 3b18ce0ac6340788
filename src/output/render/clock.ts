// Times as documents write them: a plain clock, and the forms qualitative-analysis tools read from a transcript
// (MAXQDA's and f4's #hh:mm:ss-t#, which ATLAS.ti reads too; NVivo's hh:mm:ss.t at the start of a paragraph).
import type { SubtitleSettings } from '../../config/config.js';

export type StampForm = SubtitleSettings['documentTimestamps'];

/** h, m, s and tenths of `seconds`, rounded to the tenth. */
function parts(seconds: number): { h: string; m: string; s: string; tenth: number } {
  const tenths = Math.max(0, Math.round(seconds * 10));
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    h: pad(Math.floor(tenths / 36_000)),
    m: pad(Math.floor((tenths % 36_000) / 600)),
    s: pad(Math.floor((tenths % 600) / 10)),
    tenth: tenths % 10,
  };
}

/** The time stamp in the chosen form: [00:01:23], #00:01:23-4#, or 00:01:23.4. */
export function stamp(seconds: number, form: StampForm): string {
  const { h, m, s, tenth } = parts(seconds);
  if (form === 'maxqda') return `#${h}:${m}:${s}-${tenth}#`;
  if (form === 'nvivo') return `${h}:${m}:${s}.${tenth}`;
  return `[${h}:${m}:${s}]`;
}

/** A length such as 4:05 or 1:02:03. */
export function duration(seconds: number): string {
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
