// CSV writer (RFC 4180, UTF-8 with a byte order mark so spreadsheets read it as UTF-8): one row a segment with its
// start and end in seconds, the speaker, the text, and its confidence: the mean probability of its words (0-1, empty
// when the recognizer gave none).
import type { Segment } from '../../core/contract.js';
import { speakerLabel, type TranscriptDocument } from '../../core/transcriptDocument.js';
import { oneLine } from './textUnits.js';

const HEADER = ['start', 'end', 'speaker', 'text', 'confidence'];
const BOM = '\ufeff';

/** A cell quoted when it must be; a cell a spreadsheet would run as a formula (=, +, -, @ first) gets a ' first. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The mean probability of the segment's words, or undefined when none has one. */
export function confidenceOf(seg: Segment): number | undefined {
  const p = seg.words.map((w) => w.probability).filter((x): x is number => x !== null);
  return p.length ? p.reduce((a, b) => a + b, 0) / p.length : undefined;
}

export function renderCsv(doc: TranscriptDocument): string {
  const rows = doc.segments
    .map((seg) => ({ seg, text: oneLine(seg.text).trim() }))
    .filter(({ text }) => text)
    .map(({ seg, text }) => {
      const confidence = confidenceOf(seg);
      return [
        seg.start.toFixed(3),
        seg.end.toFixed(3),
        oneLine(speakerLabel(doc, seg.speaker) ?? '').trim(),
        text,
        confidence === undefined ? '' : confidence.toFixed(3),
      ];
    });
  return BOM + [HEADER, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
