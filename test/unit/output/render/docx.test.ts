// DOCX read back by pandoc: title, facts, one paragraph a speaker turn led by the name and the time, time stamps in
// the QDA forms, right-to-left Arabic and Japanese text as written.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SUBTITLES } from '../../../../src/config/config.js';
import { renderDocx } from '../../../../src/output/render/docx.js';
import { tempDir } from '../../../helpers/env.js';
import { arabic, conversation, japanese } from './sampleDocs.js';
import { python, run } from './readers.js';

const dir = tempDir('dropscribe-docx-');
/** A part of the package as Python's zipfile reads it. */
const part = (file: string) =>
  python('import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode())', file);

function pandoc(bytes: Uint8Array, to: string, name = 'doc.docx'): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return run('pandoc', ['-f', 'docx', '-t', to, '--wrap=none', file]);
}

test('pandoc reads a paragraph a turn, each led by the speaker and the time', () => {
  const text = pandoc(renderDocx(conversation()), 'plain');
  const turns = text.split('\n').filter((l) => /^(Alice|Bob):/.test(l));
  assert.deepEqual(
    turns.map((l) => l.slice(0, 18)),
    ['Alice: [00:00:00] ', 'Bob: [00:00:03] Th', 'Alice: [00:00:08] ', 'Bob: [00:00:12] It'],
  );
  assert.ok(turns[1]!.includes('I paid $5 for *this* <b>ticket</b>.'), 'markup characters stay text');
  assert.ok(turns[3]!.endsWith('their towns. Every town has a story.'), 'one speaker, short pause: one paragraph');
  for (const fact of ['interviews/talk-en.wav', '2026-12-07', 'English (en)', '0:21', 'Alice, Bob'])
    assert.ok(text.includes(fact), fact);
  const meta = run('pandoc', ['-f', 'docx', '-t', 'markdown', '-s', join(dir, 'doc.docx')]);
  assert.match(meta, /title: talk-en/);
});

test('MAXQDA and NVivo time stamps, and a stamp every 5 seconds inside a long turn', () => {
  const doc = conversation();
  const maxqda = pandoc(renderDocx(doc, { ...DEFAULT_SUBTITLES, documentTimestamps: 'maxqda' }), 'plain');
  assert.match(maxqda, /^Bob: #00:00:03-2# Thanks/m);
  const nvivo = pandoc(renderDocx(doc, { ...DEFAULT_SUBTITLES, documentTimestamps: 'nvivo' }), 'plain');
  assert.match(nvivo, /^00:00:08\.1 Alice: Tell us/m, 'NVivo: the stamp starts the paragraph');
  const every = pandoc(renderDocx(doc, { ...DEFAULT_SUBTITLES, timestampEverySec: 4 }), 'plain');
  assert.match(every, /^Bob: \[00:00:12\] It is about .* their towns\. \[00:00:17\] Every town/m);
});

test('Arabic comes out right to left, Japanese as written', () => {
  const html = pandoc(renderDocx(arabic()), 'html', 'ar.docx');
  assert.match(html, /<span dir="rtl"><strong>سارة:<\/strong>/u);
  assert.ok(html.includes('مرحبا بكم في البرنامج.'), 'Arabic words in their (logical) order');
  const xml = part(join(dir, 'ar.docx'));
  assert.match(xml, /<w:bidi\/>/, 'right-to-left paragraphs');
  assert.match(xml, /<w:rtl\/>/, 'right-to-left runs');
  assert.match(xml, /w:bidi="ar"/, 'the language of right-to-left text');
  const ja = pandoc(renderDocx(japanese()), 'plain', 'ja.docx');
  assert.match(ja, /^\[00:00:00\] 今日はいい天気ですね。$/mu);
  assert.match(part(join(dir, 'ja.docx')), /w:eastAsia="ja"/);
});
