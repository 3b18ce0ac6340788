// WebVTT writer; with two speakers or more each cue is a voice span (`<v Speaker 1>`, or the name), and a cue in
// another language than the main one a language span (`<lang de>`).
import type { SubtitleSettings } from '../../config/config.js';
import { toCues } from './cues.js';
import { languageAt, speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { oneLine } from './textUnits.js';
import { formatTimestamp } from './timestamp.js';

/** Escape what WebVTT cue text treats as markup. */
function escapeVtt(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function renderVtt(doc: TranscriptDocument, subtitles?: SubtitleSettings): string {
  const cues = toCues(doc.segments, { settings: subtitles, language: doc.language }).map((c) => {
    const voice = speakerLabel(doc, c.speaker);
    const lines = c.lines.map(escapeVtt);
    const language = languageAt(doc, c.start, c.end);
    if (language !== doc.language) {
      lines[0] = `<lang ${language}>${lines[0]}`;
      lines[lines.length - 1] += '</lang>';
    }
    if (voice) lines[0] = `<v ${escapeVtt(oneLine(voice).trim())}>${lines[0]}`;
    return `${formatTimestamp(c.start, '.')} --> ${formatTimestamp(c.end, '.')}\n${lines.join('\n')}\n`;
  });
  return [`WEBVTT\nKind: captions\nLanguage: ${doc.language}\n`, ...cues].join('\n');
}
