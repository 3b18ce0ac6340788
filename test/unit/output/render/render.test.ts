import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SUBTITLES } from '../../../../src/config/config.js';
import type { Segment } from '../../../../src/core/contract.js';
import { toCues } from '../../../../src/output/render/cues.js';
import { RENDERERS, type TranscriptDocument } from '../../../../src/output/render/index.js';
import { formatTimestamp } from '../../../../src/output/render/timestamp.js';
import { assertValidSrt, assertValidVtt, timedWords as words } from '../../../helpers/subtitles.js';

function doc(segments: Segment[]): TranscriptDocument {
  return {
    source: 'a.mp3',
    language: 'en',
    languageProbability: 1,
    task: 'transcribe',
    backend: 'faster-whisper',
    model: 'tiny.en',
    alignment: 'native',
    durationSec: 100,
    processingSec: 1,
    degraded: [],
    notes: [],
    speechFound: true,
    createdAt: 'now',
    segments,
    suppressed: [],
  };
}

const long =
  'this is a rather long sentence that will certainly not fit on two subtitle lines of forty two characters each';
const sample = doc([
  { start: 0, end: 2.5, text: ' Hello <world> & "friends" --> ok', words: [] },
  { start: 3, end: 3 + long.split(' ').length * 0.3, text: ` ${long}`, words: words(long, 3, 0.3) },
  { start: 3700.25, end: 3702, text: ' an hour later', words: [] },
  { start: 3703, end: 3704, text: '   ', words: [] },
]);

test('timestamps: SRT uses a comma, VTT a dot, hours roll over, milliseconds round', () => {
  assert.equal(formatTimestamp(3700.2504, ','), '01:01:40,250');
  assert.equal(formatTimestamp(59.9996, '.'), '00:01:00.000');
  assert.equal(formatTimestamp(-1, ','), '00:00:00,000');
});

test('cues: at most two lines, cut at word timings, in order, empty segments dropped', () => {
  const cues = toCues(sample.segments);
  assert.equal(cues.length, 4, 'the long sentence (110 characters) needs two cues');
  for (const c of cues) {
    assert.ok(c.lines.length <= 2 && c.lines.every((l) => l.length <= 42), JSON.stringify(c));
    assert.ok(c.end > c.start);
  }
  assert.ok(
    cues.every((c) => !c.lines.join(' ').includes(long)),
    'long text is split over several cues',
  );
  assert.ok(
    cues
      .map((c) => c.lines.join(' '))
      .join(' ')
      .includes('forty two characters each'),
  );
});

test('SRT and VTT are valid; VTT escapes markup; "-->" never reaches a cue text line', () => {
  const srt = RENDERERS.srt(sample);
  assertValidSrt(srt);
  assert.ok(srt.includes('01:01:40,250 --> 01:01:42,000'));
  const vtt = RENDERERS.vtt(sample);
  assertValidVtt(vtt);
  assert.ok(vtt.includes('&lt;world&gt; &amp;'));
});

test('TXT starts a paragraph after a long pause; JSON carries words and metadata', () => {
  const txt = RENDERERS.txt(sample);
  assert.equal(txt.split('\n\n').length, 2);
  assert.ok(txt.startsWith('Hello <world>'));
  const json = JSON.parse(RENDERERS.json(sample));
  assert.equal(json.model, 'tiny.en');
  assert.equal(json.segments[1].id, 1);
  assert.equal(json.segments[1].words.length, long.split(' ').length);
});

test('an empty transcript renders valid empty files', () => {
  const empty = doc([]);
  assert.equal(RENDERERS.srt(empty), '');
  assert.ok(RENDERERS.vtt(empty).startsWith('WEBVTT'));
  assert.equal(RENDERERS.txt(empty), '\n');
});

test('SRT and VTT writers follow the subtitle settings they are given', () => {
  const narrow = { ...DEFAULT_SUBTITLES, maxLineChars: 20 };
  for (const text of [assertValidSrt(RENDERERS.srt(sample, narrow)), assertValidVtt(RENDERERS.vtt(sample, narrow))]) {
    assert.ok(text.join(' ').includes('forty two characters each'));
  }
  const lines = RENDERERS.srt(sample, narrow)
    .split('\n')
    .filter((l) => l && !/^\d+$/.test(l) && !l.includes(' --> '));
  assert.ok(lines.length > 4 && lines.every((l) => l.length <= 20), JSON.stringify(lines));
});

/** A carriage return, line or paragraph separator, next line or NUL: a writer must never pass one through. */
const hasBreak = (text: string) => [...text].some((ch) => '\r\u2028\u2029\u0085\u0000'.includes(ch));

test('whatever the document holds, no SRT or VTT cue text has a blank line or a line break of its own', () => {
  const held = {
    ...doc([
      {
        start: 0,
        end: 3,
        text: ' one\n\n2\n00:00:00,000 --> 00:09:00,000\nfake two',
        words: [
          { word: ' one\n\n2\n00:00:00,000', start: 0, end: 1, probability: 0.9 },
          { word: ' -->\r\n00:09:00,000\u2028fake', start: 1, end: 2, probability: 0.9 },
          { word: '\u0000\n', start: 2, end: 2.5, probability: 0.9 },
          { word: ' two', start: 2.5, end: 3, probability: 0.9 },
        ],
      },
      { start: 4, end: 5, text: ' \n\n ', words: [] },
      { start: 6, end: 7, text: ' three\n\nfour', words: [], speaker: 'S2' },
    ]),
    speakers: [
      { id: 'S1', name: 'Ada\n\nLovelace' },
      { id: 'S2', name: 'Bob\r\n' },
    ],
  } as TranscriptDocument;
  held.segments[0]!.speaker = 'S1';
  const srt = assertValidSrt(RENDERERS.srt(held));
  assert.deepEqual(srt.join(' ').split(/\s+/).includes('fake'), true, 'the words are kept, on cue lines');
  const vtt = RENDERERS.vtt(held);
  assertValidVtt(vtt);
  for (const cue of vtt.trim().split(/\n\n+/).slice(1))
    assert.ok(/^\S+ --> \S+\n/.test(cue) && !hasBreak(cue), JSON.stringify(cue));
  assert.equal(hasBreak(RENDERERS.txt(held)), false);
  assert.doesNotMatch(RENDERERS.txt(held), /Ada\n/);
});
