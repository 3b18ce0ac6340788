// Markdown writer for show notes and wikis: the title, the facts of the recording, then one paragraph a speaker turn
// led by the speaker's name and the time (in the form documentTimestamps chooses, more inside long turns).
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../config/config.js';
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { stamp } from './clock.js';
import { documentInfo } from './documentInfo.js';
import { stampedPieces, turnsOf } from './turns.js';

/** Text with Markdown's markup characters escaped, so a transcript never turns into links, emphasis or HTML. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>#|~$]/g, '\\$&');
}

export function renderMd(doc: TranscriptDocument, settings: SubtitleSettings = DEFAULT_SUBTITLES): string {
  const info = documentInfo(doc);
  const form = settings.documentTimestamps;
  const head = [
    `# ${escapeMarkdown(info.title)}`,
    info.rows.map(([k, v]) => `- **${k}:** ${escapeMarkdown(v)}`).join('\n'),
  ];
  const paragraphs = turnsOf(doc).map((turn) => {
    const pieces = stampedPieces(turn, settings.timestampEverySec);
    const text = pieces.map((p, i) => (i ? `${escapeMarkdown(stamp(p.at, form))} ` : '') + escapeMarkdown(p.text));
    const first = escapeMarkdown(stamp(turn.start, form));
    const name = turn.speaker === undefined ? '' : `**${escapeMarkdown(turn.speaker)}:** `;
    return form === 'nvivo' ? `${first} ${name}${text.join(' ')}` : `${name}${first} ${text.join(' ')}`;
  });
  return [...head, ...paragraphs].join('\n\n') + '\n';
}
