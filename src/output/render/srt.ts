// SubRip writer. With two speakers or more the first cue of each turn starts with the speaker's name (`NAME: `), and
// a too-short exchange of two speakers is one dialogue cue (dialogue.ts).
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../config/config.js';
import { toCues } from './cues.js';
import { dialogueCues } from './dialogue.js';
import { speakerLabel, speakersLabelled, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { formatTimestamp } from './timestamp.js';

/** Render numbered SRT cues; "-->" inside text is defused so it cannot break the timing line. */
export function renderSrt(doc: TranscriptDocument, subtitles: SubtitleSettings = DEFAULT_SUBTITLES): string {
  const labelled = speakersLabelled(doc);
  const label = labelled ? (id: string | undefined) => speakerLabel(doc, id) : undefined;
  const cues = toCues(doc.segments, { settings: subtitles, language: doc.language, label });
  return (labelled ? dialogueCues(cues, subtitles) : cues)
    .map(
      (c, i) =>
        `${i + 1}\n${formatTimestamp(c.start, ',')} --> ${formatTimestamp(c.end, ',')}\n` +
        `${c.lines.map((l) => l.replaceAll('-->', '->')).join('\n')}\n`,
    )
    .join('\n');
}
