// Advanced SubStation Alpha writer: the SRT/WebVTT cues, styled (white on a dark outline, 1080p), the speaker in the
// Name field; with subtitles.karaoke each word fills in as it is said (\kf from the word timings). Right-to-left lines
// are embedded right to left (U+202B ... U+202C) so punctuation stays at their end; CJK gets a CJK font first.
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../config/config.js';
import { speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { textLanguage } from '../outputNames.js';
import { cueUnits } from './cueUnits.js';
import { documentInfo } from './documentInfo.js';
import { isCjk, isRightToLeft } from './language.js';
import { oneLine, type Unit } from './textUnits.js';

const CJK_FONTS: Record<string, string> = { ja: 'Noto Sans CJK JP', ko: 'Noto Sans CJK KR' };
const RLE = '\u202b';
const PDF = '\u202c';

/** H:MM:SS.cc from whole centiseconds. */
export function assTime(cs: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${Math.floor(cs / 360_000)}:${pad(Math.floor((cs % 360_000) / 6000))}:${pad(Math.floor((cs % 6000) / 100))}.${pad(cs % 100)}`;
}

const centis = (t: number) => Math.max(0, Math.round(t * 100));

/** Text that cannot be read as an override block, a line break or a hard space. */
export function escapeAss(text: string): string {
  return oneLine(text).replaceAll('\\', '\\\u2060').replaceAll('{', '\uff5b').replaceAll('}', '\uff5d');
}

function styleFont(language: string): string {
  if (!isCjk(language)) return 'Arial';
  return CJK_FONTS[language.slice(0, 2).toLowerCase()] ?? 'Noto Sans CJK SC';
}

export function renderAss(doc: TranscriptDocument, settings: SubtitleSettings = DEFAULT_SUBTITLES): string {
  const language = textLanguage(doc);
  const rtl = isRightToLeft(language);
  const line = (text: string) => (rtl ? `${RLE}${text}${PDF}` : text);
  const events = cueUnits(doc, settings).map(({ cue, lines }) => {
    const start = centis(cue.start);
    const end = Math.max(start + 1, centis(cue.end));
    const text = settings.karaoke
      ? karaoke(lines, { start, end }, line)
      : cue.lines.map((l) => line(escapeAss(l))).join('\\N');
    const name = escapeAss(speakerLabel(doc, cue.speaker) ?? '').replaceAll(',', ' ');
    return `Dialogue: 0,${assTime(start)},${assTime(end)},Default,${name},0,0,0,,${text}`;
  });
  return (
    [
      '[Script Info]',
      '; Written by dropscribe',
      `Title: ${escapeAss(documentInfo(doc).title)}`,
      'ScriptType: v4.00+',
      'WrapStyle: 0',
      'ScaledBorderAndShadow: yes',
      'PlayResX: 1920',
      'PlayResY: 1080',
      'YCbCr Matrix: None',
      '',
      '[V4+ Styles]',
      'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, ' +
        'Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, ' +
        'MarginR, MarginV, Encoding',
      // Primary: a word said (karaoke) or all text; secondary: a word still to come.
      `Style: Default,${styleFont(language)},64,&H00FFFFFF,&H0000D7FF,&H00000000,&H80000000,0,0,0,0,100,100,0,0,1,3,1,2,` +
        '96,96,64,1',
      '',
      '[Events]',
      'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
      ...events,
    ].join('\n') + '\n'
  );
}

/** The cue's text with a \kf before each word: its length runs to the next word's start (the last to the cue's end),
 * counted in whole centiseconds from the cue's start so the words keep their own times. A pause before the first
 * word is an empty syllable. */
function karaoke(
  lines: Unit[][],
  { start, end }: { start: number; end: number },
  line: (text: string) => string,
): string {
  const all = lines.flat();
  const at = (k: number) => Math.min(end, Math.max(start, k < all.length ? centis(all[k]!.start) : end));
  let k = 0;
  let lead = at(0) - start;
  return lines
    .map((units) => {
      const parts = units.map((u, i) => {
        const length = at(k + 1) - at(k);
        k++;
        const before = lead > 0 ? `{\\kf${lead}}` : '';
        lead = 0;
        return `${before}{\\kf${length}}${i && u.space ? ' ' : ''}${escapeAss(u.text)}`;
      });
      return line(parts.join(''));
    })
    .join('\\N');
}
