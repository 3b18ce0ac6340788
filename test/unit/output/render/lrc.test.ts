// LRC read back by ffmpeg's lrc demuxer: a line a cue at its first word's time (within 10 ms of the JSON), the
// speaker in front when it changes; enhanced LRC's word times are the JSON's words.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SUBTITLES } from '../../../../src/config/config.js';
import { renderLrc } from '../../../../src/output/render/lrc.js';
import { tempDir } from '../../../helpers/env.js';
import { clockSec, ffmpegRun } from './readers.js';
import { conversation } from './sampleDocs.js';

const dir = tempDir('dropscribe-lrc-');

/** The cues ffmpeg's lrc demuxer reads from the file, as SRT cues. */
function readByFfmpeg(text: string): { start: number; text: string }[] {
  const file = join(dir, 'a.lrc');
  writeFileSync(file, text);
  const srt = ffmpegRun(['-v', 'error', '-f', 'lrc', '-i', file, '-f', 'srt', '-']).stdout;
  return srt
    .trim()
    .split(/\n\n+/)
    .map((block) => {
      const [, timing, ...lines] = block.split('\n');
      return { start: clockSec(timing!.split(' --> ')[0]!), text: lines.join('\n') };
    })
    .filter((c) => c.text.trim());
}

test("ffmpeg's lrc demuxer reads each line at its first word's time", () => {
  const doc = conversation();
  const cues = readByFfmpeg(renderLrc(doc));
  const starts = doc.segments.map((s) => s.words[0]!.start);
  assert.equal(cues.length, starts.length, JSON.stringify(cues));
  cues.forEach((c, i) => assert.ok(Math.abs(c.start - starts[i]!) <= 0.01, `${c.start} vs ${starts[i]}`));
  assert.deepEqual(
    cues.map((c) => c.text.split(':')[0]),
    ['Alice', 'Bob', 'Alice', 'Bob', 'Every town has a story.'],
  );
});

test('enhanced LRC: every word with its own time, as the JSON has it', () => {
  const doc = conversation();
  const cues = readByFfmpeg(renderLrc(doc, { ...DEFAULT_SUBTITLES, karaoke: true }));
  const words = doc.segments.flatMap((s) => s.words);
  const times = cues.flatMap((c) => [...c.text.matchAll(/<(\d+:\d+\.\d+)>(\S*)/g)].filter((m) => m[2]));
  assert.equal(times.length, words.length);
  times.forEach((m, i) => {
    assert.ok(Math.abs(clockSec(m[1]!) - words[i]!.start) <= 0.01, `${m[0]} vs ${words[i]!.start}`);
    // ffmpeg escapes braces and backslashes on its way to SRT
    if (!/[{}\\]/.test(words[i]!.word)) assert.equal(m[2], words[i]!.word.trim());
  });
});
