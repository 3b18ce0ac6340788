// ASS read back by pysubs2 and burned into a video by ffmpeg's subtitles filter (libass): the cues' times within
// 10 ms of the JSON's cues, speakers in the Name field, karaoke syllables at the JSON's word times, and Arabic and
// Japanese drawn with no glyph missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SUBTITLES } from '../../../../src/config/config.js';
import type { TranscriptDocument } from '../../../../src/core/transcriptDocument.js';
import { escapeAss, renderAss } from '../../../../src/output/render/ass.js';
import { toCues } from '../../../../src/output/render/cues.js';
import { tempDir } from '../../../helpers/env.js';
import { ffmpegBytes, ffmpegRun, python } from './readers.js';
import { arabic, conversation, japanese } from './sampleDocs.js';

const dir = tempDir('dropscribe-ass-');
const KARAOKE = { ...DEFAULT_SUBTITLES, karaoke: true };

interface Event {
  start: number; // ms
  end: number;
  name: string;
  text: string; // raw, with override tags
  plaintext: string;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The file's events as pysubs2 reads them. */
function readByPysubs2(file: string): { events: Event[]; font: string } {
  const code =
    'import json, sys, pysubs2\n' +
    's = pysubs2.load(sys.argv[1])\n' +
    'print(json.dumps({"font": s.styles["Default"].fontname, "events": [{"start": e.start, "end": e.end, ' +
    '"name": e.name, "text": e.text, "plaintext": e.plaintext} for e in s.events]}))';
  return JSON.parse(python(code, file)) as { events: Event[]; font: string };
}

test('pysubs2 reads the cues at their times with the speaker in the Name field', () => {
  const doc = conversation();
  const { events } = readByPysubs2(write('a.ass', renderAss(doc)));
  const cues = toCues(doc.segments, { language: 'en' });
  assert.equal(events.length, cues.length);
  events.forEach((e, i) => {
    assert.ok(Math.abs(e.start / 1000 - cues[i]!.start) <= 0.01 && Math.abs(e.end / 1000 - cues[i]!.end) <= 0.01);
    assert.equal(e.plaintext, cues[i]!.lines.map(escapeAss).join('\n'));
  });
  assert.deepEqual(
    events.map((e) => e.name),
    ['Alice', 'Bob', 'Alice', 'Bob', 'Bob'],
  );
  assert.ok(events[2]!.plaintext.includes('C:\\\u2060new'), 'a backslash in the text is no line break');
  assert.ok(events[2]!.plaintext.includes('\uff5bthe\uff5d'), 'braces in the text are no override block');
});

test("karaoke: each word's syllable starts at the word's time in the JSON", () => {
  const doc = conversation();
  const { events } = readByPysubs2(write('k.ass', renderAss(doc, KARAOKE)));
  const starts: number[] = [];
  for (const e of events) {
    let t = e.start / 10; // centiseconds
    for (const m of e.text.matchAll(/\{\\kf(\d+)\}([^{]*)/g)) {
      if (m[2]!.trim()) starts.push(t / 100);
      t += Number(m[1]);
    }
    assert.ok(Math.abs(t - e.end / 10) <= 1, 'the syllables fill the cue');
  }
  const words = doc.segments.flatMap((s) => s.words.map((w) => w.start));
  assert.equal(starts.length, words.length);
  starts.forEach((s, i) => assert.ok(Math.abs(s - words[i]!) <= 0.01, `${s} vs ${words[i]}`));
});

/** Burn the file into 3 s of black video; the gray frames asked for, and what libass said. */
function burn(file: string, frames: number[]): { frames: Buffer[]; log: string } {
  const size = 320 * 180;
  const select = frames.map((n) => `eq(n\\,${n})`).join('+');
  const filter = `subtitles=${file},select='${select}',format=gray`;
  const input = ['-f', 'lavfi', '-i', 'color=c=black:s=320x180:r=25:d=3'];
  const out = ffmpegBytes([...input, '-vf', filter, '-fps_mode', 'passthrough', '-f', 'rawvideo', '-']);
  const log = ffmpegRun(['-v', 'verbose', ...input, '-vf', `subtitles=${file}`, '-f', 'null', '-']).stderr;
  return { frames: frames.map((_, k) => out.subarray(k * size, (k + 1) * size)), log };
}

const brightest = (frame: Buffer) => frame.reduce((m, v) => Math.max(m, v), 0);

test("ffmpeg's subtitles filter (libass) draws the cue while it is on and nothing before", () => {
  const { frames } = burn(write('b.ass', renderAss(conversation(), KARAOKE)), [5, 25]);
  assert.ok(brightest(frames[0]!) < 40, 'nothing at 0.2 s');
  assert.ok(brightest(frames[1]!) > 200, 'white text at 1.0 s');
});

function hasFont(lang: string): boolean {
  const r = spawnSync('fc-list', [`:lang=${lang}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

for (const [name, doc, lang] of [
  ['Arabic', arabic(), 'ar'],
  ['Japanese', japanese(), 'ja'],
] as [string, TranscriptDocument, string][]) {
  test(`${name}: libass finds a glyph for every character; pysubs2 reads the text as written`, (t) => {
    if (!hasFont(lang)) return t.skip(`no ${name} font here (Debian: fonts-noto-cjk, fonts-dejavu-core)`);
    const file = write(`${lang}.ass`, renderAss(doc));
    const { frames, log } = burn(file, [25]);
    assert.ok(brightest(frames[0]!) > 200, 'text drawn');
    assert.doesNotMatch(log, /failed to find any fallback/i);
    const { events, font } = readByPysubs2(file);
    const words = doc.segments[0]!.words.map((w) => w.word.trim());
    const text = events[0]!.plaintext.replaceAll('\n', ' ');
    if (lang === 'ar') {
      assert.ok(text.startsWith('\u202b') && text.endsWith('\u202c'), 'a right-to-left embedding');
      assert.ok(text.includes(words.join(' ')), 'words in their logical order');
    } else {
      assert.equal(font, 'Noto Sans CJK JP');
      assert.equal(text, words.join(''));
    }
  });
}
