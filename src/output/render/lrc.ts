// LRC writer: a line a subtitle cue at its first word's time, `Speaker: ` in front when the speaker changes, and an
// empty line where a pause of a second or more follows a cue; with subtitles.karaoke, each word's time in front of it
// (enhanced LRC, <mm:ss.xx>).
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../config/config.js';
import { speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { duration } from './clock.js';
import { cueUnits } from './cueUnits.js';
import { documentInfo } from './documentInfo.js';
import { oneLine } from './textUnits.js';

/** A pause at least this long after a line shows as an empty line (a shorter one would only flash). */
const BLANK_AFTER_SEC = 1;

/** mm:ss.xx, rounded to the hundredth; minutes go past 59. */
export function lrcTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(cs / 6000))}:${pad(Math.floor((cs % 6000) / 100))}.${pad(cs % 100)}`;
}

/** A tag's text cannot hold its closing bracket. */
const tagText = (text: string) => oneLine(text).replace(/[[\]]/g, '').trim();

export function renderLrc(doc: TranscriptDocument, settings: SubtitleSettings = DEFAULT_SUBTITLES): string {
  const info = documentInfo(doc);
  const lines = [`[ti:${tagText(info.title)}]`, `[length:${duration(doc.durationSec)}]`, '[re:dropscribe]', ''];
  const cues = cueUnits(doc, settings);
  let lastSpeaker: string | undefined;
  cues.forEach(({ cue, units }, k) => {
    const speaker = speakerLabel(doc, cue.speaker);
    const lead = speaker && speaker !== lastSpeaker ? `${oneLine(speaker).trim()}: ` : '';
    lastSpeaker = speaker;
    const start = units[0]?.start ?? cue.start;
    const text = settings.karaoke
      ? units.map((u, i) => `${i && u.space ? ' ' : ''}<${lrcTime(u.start)}>${u.text}`).join('') +
        ` <${lrcTime(units.at(-1)?.end ?? cue.end)}>`
      : cue.lines.join(' ');
    lines.push(`[${lrcTime(start)}]${lead}${text}`);
    const next = cues[k + 1];
    if (!next || (next.units[0]?.start ?? next.cue.start) - cue.end >= BLANK_AFTER_SEC)
      lines.push(`[${lrcTime(cue.end)}]`);
  });
  return lines.join('\n') + '\n';
}
