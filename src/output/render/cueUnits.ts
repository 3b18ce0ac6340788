// Subtitle cues with the timed units (words, or CJK characters) each line holds, for writers that time words inside
// a cue (ASS karaoke, enhanced LRC). The cues are toCues' own: the same cuts and lines as SRT and WebVTT.
import type { SubtitleSettings } from '../../config/config.js';
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { toCues, type Cue } from './cues.js';
import { functionWordsFor } from './functionWords.js';
import { joinUnits, unitsOf, type Unit } from './textUnits.js';

export interface CueWithUnits {
  cue: Cue;
  units: Unit[]; // every unit of the cue, in order
  lines: Unit[][]; // the same units, line by line (cue.lines[i] is joinUnits(lines[i]))
}

export function cueUnits(doc: TranscriptDocument, settings: SubtitleSettings): CueWithUnits[] {
  const cues = toCues(doc.segments, { settings, language: doc.language });
  const units = unitsOf(doc.segments, settings.maxLineChars, functionWordsFor(doc.language));
  let at = 0;
  return cues.map((cue) => {
    const lines = cue.lines.map((line) => {
      const taken: Unit[] = [];
      while (at < units.length && joinUnits(taken) !== line) taken.push(units[at++]!);
      if (joinUnits(taken) !== line) throw new Error(`cue line not found among the transcript's words: ${line}`);
      return taken;
    });
    return { cue, units: lines.flat(), lines };
  });
}
