// Word writer (docx, a maintained OOXML library): the title, a table of the recording's facts, then one paragraph a
// speaker turn led by the speaker's name in bold and the time (documentTimestamps: plain, MAXQDA/ATLAS.ti or NVivo;
// more stamps inside long turns with timestampEverySec). Right-to-left languages get right-to-left paragraphs and
// runs; the language is set on every run (East Asian for CJK) so Word picks fonts and proofing for it.
// docx is loaded on first use (it is large, and most jobs write no DOCX); its packer is asynchronous only, so the
// package's files come from its compiler and are zipped here with fflate (the zip library docx itself uses).
import { createRequire } from 'node:module';
import { DEFAULT_SUBTITLES, type SubtitleSettings } from '../../config/config.js';
import type { TranscriptDocument } from '../../core/transcriptDocument.js';
import { textLanguage } from '../outputNames.js';
import { stamp } from './clock.js';
import { documentInfo } from './documentInfo.js';
import { isCjk, isRightToLeft } from './language.js';
import { stampedPieces, turnsOf } from './turns.js';

type Docx = typeof import('docx');
type Fflate = typeof import('fflate');
interface Compiler {
  compile(file: InstanceType<Docx['Document']>): Map<string, string | Uint8Array>;
}

const require = createRequire(import.meta.url);
let loaded: { docx: Docx; fflate: Fflate; compiler: Compiler } | undefined;

/** docx and fflate, loaded once; fails plainly if docx's compiler is no longer where this version keeps it. */
function libraries(): { docx: Docx; fflate: Fflate; compiler: Compiler } {
  if (loaded) return loaded;
  const docx = require('docx') as Docx;
  const compiler = (docx.Packer as unknown as { compiler?: Compiler }).compiler;
  if (typeof compiler?.compile !== 'function') throw new Error('this version of docx has no Packer.compiler');
  loaded = { docx, fflate: require('fflate') as Fflate, compiler };
  return loaded;
}

/** The zip's file times: the transcript's, so the same transcript gives the same bytes. */
function zipTime(doc: TranscriptDocument): Date {
  const t = new Date(doc.createdAt);
  return Number.isNaN(t.getTime()) || t.getUTCFullYear() < 1980 ? new Date(Date.UTC(1980, 0, 1)) : t;
}

export function renderDocx(doc: TranscriptDocument, settings: SubtitleSettings = DEFAULT_SUBTITLES): Uint8Array {
  const { docx, fflate, compiler } = libraries();
  const { Document, Paragraph, TextRun, HeadingLevel, Table, TableRow, TableCell, WidthType, BorderStyle } = docx;
  const language = textLanguage(doc);
  const rtl = isRightToLeft(language);
  const lang = isCjk(language)
    ? { value: language, eastAsia: language }
    : rtl
      ? { value: language, bidirectional: language }
      : { value: language };
  const run = (text: string, extra: { bold?: boolean; color?: string } = {}) =>
    new TextRun({ text, language: lang, rightToLeft: rtl, ...extra });
  const info = documentInfo(doc);
  const form = settings.documentTimestamps;
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const facts = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    visuallyRightToLeft: rtl,
    borders: { top: none, bottom: none, left: none, right: none, insideHorizontal: none, insideVertical: none },
    rows: info.rows.map(
      ([k, v]) =>
        new TableRow({
          children: [
            new TableCell({
              width: { size: 20, type: WidthType.PERCENTAGE },
              children: [new Paragraph({ bidirectional: rtl, children: [run(k, { bold: true })] })],
            }),
            new TableCell({ children: [new Paragraph({ bidirectional: rtl, children: [run(v)] })] }),
          ],
        }),
    ),
  });
  const turns = turnsOf(doc).map((turn) => {
    const children: InstanceType<Docx['TextRun']>[] = [];
    const time = run(stamp(turn.start, form), { color: '666666' });
    const name = turn.speaker === undefined ? [] : [run(`${turn.speaker}:`, { bold: true }), run(' ')];
    if (form === 'nvivo') children.push(time, run(' '), ...name);
    else children.push(...name, time, run(' '));
    stampedPieces(turn, settings.timestampEverySec).forEach((p, i) => {
      if (i) children.push(run(' '), run(stamp(p.at, form), { color: '666666' }), run(' '));
      children.push(run(p.text));
    });
    return new Paragraph({ bidirectional: rtl, spacing: { after: 160 }, children });
  });
  const file = new Document({
    title: info.title,
    creator: 'dropscribe',
    description: `Transcript of ${doc.source}`,
    styles: { default: { document: { run: { font: 'Calibri', size: 22 } } } },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, bidirectional: rtl, children: [run(info.title)] }),
          facts,
          new Paragraph({ children: [] }),
          ...turns,
        ],
      },
    ],
  });
  const files = compiler.compile(file);
  const mtime = zipTime(doc);
  const entries: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [path, data] of files)
    entries[path] = [typeof data === 'string' ? new TextEncoder().encode(data) : data, { mtime }];
  return fflate.zipSync(entries);
}
