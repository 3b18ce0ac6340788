// Final Cut Pro captions: a standalone FCPXML 1.10 document with one project whose spine holds the recording's clip
// (a video: an asset whose media-rep is the recording's file URL) or else a gap as long as the recording (audio), the
// SRT/WebVTT cues anchored on it as captions of an iTT role in the transcript's language (iTT?captionFormat=ITT.en),
// each named after its speaker and text. Every time is a whole number of frames: the recording's own frame rate when
// the document knows it (video), else subtitles.frameRate (25 for audio). Imported, a video's captions come with
// their clip; an audio's line up with the clip the editor lays under them.
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../config/config.js';
import { speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { textLanguage } from '../outputNames.js';
import { toCues } from './cues.js';
import { documentInfo } from './documentInfo.js';
import { oneLine } from './textUnits.js';

/** A frame rate as a fraction of whole numbers: 25/1, 30000/1001 (29.97), 24000/1001 (23.976). */
export interface FrameRate {
  num: number;
  den: number;
}

/** The exact rate meant by a decimal one: the NTSC rates (x1000/1001) and whole rates as such. */
export function frameRateOf(fps: number): FrameRate {
  const whole = Math.round(fps);
  if (Math.abs(fps - whole) < 0.005) return { num: whole, den: 1 };
  const ntsc = Math.round((fps * 1001) / 1000);
  if (Math.abs((ntsc * 1000) / 1001 - fps) < 0.005) return { num: ntsc * 1000, den: 1001 };
  return { num: Math.round(fps * 1000), den: 1000 };
}

/** Escape text for XML content and attributes; characters XML 1.0 cannot hold are dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A caption role's language: the two-letter code FCP lists (ITT.en, ITT.de), region kept when given (pt-BR). */
function roleLanguage(code: string): string {
  const [lang, region] = code.split(/[-_]/);
  return region ? `${lang!.toLowerCase()}-${region.toUpperCase()}` : lang!.toLowerCase();
}

/** `recording`: the recording's path; a video's captions go into its clip (a document without frameRate is audio). */
export function renderFcpxml(
  doc: TranscriptDocument,
  settings: SubtitleSettings = DEFAULT_SUBTITLES,
  recording?: string,
): string {
  const rate = frameRateOf(doc.frameRate ?? settings.frameRate);
  const frames = (t: number) => Math.max(0, Math.round((t * rate.num) / rate.den));
  const time = (n: number) => (n === 0 ? '0s' : `${n * rate.den}/${rate.num}s`);
  const role = `iTT?captionFormat=ITT.${roleLanguage(textLanguage(doc))}`;
  const cues = toCues(doc.segments, { settings, language: doc.language });
  const lastEnd = cues.length ? frames(cues.at(-1)!.end) : 0;
  const total = Math.max(frames(doc.durationSec), lastEnd, 1);
  const title = escapeXml(documentInfo(doc).title);
  const captions: string[] = [];
  let prevEnd = 0;
  cues.forEach((cue, k) => {
    const start = Math.max(frames(cue.start), prevEnd);
    const end = Math.max(start + 1, frames(cue.end));
    prevEnd = end;
    const id = `ts${k + 1}`;
    const text = escapeXml(cue.lines.map((l) => oneLine(l).trim()).join('\n'));
    const speaker = speakerLabel(doc, cue.speaker);
    const name = `${speaker ? `${oneLine(speaker).trim()}: ` : ''}${oneLine(cue.lines.join(' '))}`.slice(0, 80);
    captions.push(
      `              <caption lane="1" offset="${time(start)}" name="${escapeXml(name)}" ` +
        `duration="${time(end - start)}" role="${role}">\n` +
        `                <text placement="bottom"><text-style ref="${id}">${text}</text-style></text>\n` +
        `                <text-style-def id="${id}"><text-style font=".SF NS" fontSize="13" fontFace="Regular" ` +
        `fontColor="1 1 1 1" backgroundColor="0 0 0 1"/></text-style-def>\n` +
        `              </caption>`,
    );
  });
  const frameDuration = `${rate.den}/${rate.num}s`;
  const video = doc.frameRate && recording ? recording : undefined;
  const name = video ? escapeXml(basename(video)) : title;
  const clip = video
    ? [
        `            <asset-clip ref="r2" name="${name}" offset="0s" start="0s" duration="${time(total)}" ` +
          `format="r1" tcFormat="NDF">`,
        '            </asset-clip>',
      ]
    : [`            <gap name="${title}" offset="0s" start="0s" duration="${time(total)}">`, '            </gap>'];
  return (
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!DOCTYPE fcpxml>',
      '<fcpxml version="1.10">',
      '  <resources>',
      `    <format id="r1" name="FFVideoFormat1080p" frameDuration="${frameDuration}" width="1920" height="1080"/>`,
      ...(video
        ? [
            `    <asset id="r2" name="${name}" start="0s" duration="${time(total)}" hasVideo="1" hasAudio="1" ` +
              `format="r1">`,
            `      <media-rep kind="original-media" src="${escapeXml(pathToFileURL(video).href)}"/>`,
            '    </asset>',
          ]
        : []),
      '  </resources>',
      '  <library>',
      '    <event name="dropscribe">',
      `      <project name="${title}">`,
      `        <sequence format="r1" duration="${time(total)}" tcStart="0s" tcFormat="NDF">`,
      '          <spine>',
      clip[0]!,
      ...captions,
      clip[1]!,
      '          </spine>',
      '        </sequence>',
      '      </project>',
      '    </event>',
      '  </library>',
      '</fcpxml>',
    ].join('\n') + '\n'
  );
}
