// WebVTT writer.
import type { SubtitleSettings } from '../../config.js';
import { toCues } from './cues.js';
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { formatTimestamp } from './timestamp.js';

/** Escape what WebVTT cue text treats as markup. */
function escapeVtt(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function renderVtt(doc: TranscriptDocument, subtitles?: SubtitleSettings): string {
  const cues = toCues(doc.segments, subtitles, doc.language).map(
    (c) =>
      `${formatTimestamp(c.start, '.')} --> ${formatTimestamp(c.end, '.')}\n${c.lines.map(escapeVtt).join('\n')}\n`,
  );
  return [`WEBVTT\nKind: captions\nLanguage: ${doc.language}\n`, ...cues].join('\n');
}
