// SubRip writer.
import type { SubtitleSettings } from '../../config.js';
import { toCues } from './cues.js';
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { formatTimestamp } from './timestamp.js';

/** Render numbered SRT cues; "-->" inside text is defused so it cannot break the timing line. */
export function renderSrt(doc: TranscriptDocument, subtitles?: SubtitleSettings): string {
  return toCues(doc.segments, subtitles, doc.language)
    .map(
      (c, i) =>
        `${i + 1}\n${formatTimestamp(c.start, ',')} --> ${formatTimestamp(c.end, ',')}\n` +
        `${c.lines.map((l) => l.replaceAll('-->', '->')).join('\n')}\n`,
    )
    .join('\n');
}
