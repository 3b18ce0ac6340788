// Corrections applied to a transcript: a word, a segment re-timed, a speaker renamed; what does not fit is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCorrection, Correction, CorrectionError } from '../../../src/output/corrections.js';
import { renderSrt } from '../../../src/output/render/srt.js';
import { renderVtt } from '../../../src/output/render/vtt.js';
import { keptDocument } from '../../helpers/store.js';
import { assertValidSrt, assertValidVtt } from '../../helpers/subtitles.js';

const doc = keptDocument('', {
  segments: [
    {
      start: 0,
      end: 2,
      text: ' ask not what',
      words: [
        { word: ' ask', start: 0, end: 0.5, probability: 0.9 },
        { word: ' not', start: 0.5, end: 1, probability: 0.3 },
        { word: ' what', start: 1, end: 2, probability: 0.9 },
      ],
    },
  ],
});

test('a word: its text changes, its times stay, the segment text follows; the input is untouched', () => {
  const next = applyCorrection(doc, { kind: 'word', segment: 0, word: 1, text: 'now' });
  assert.equal(next.segments[0]!.text, ' ask now what');
  assert.deepEqual(next.segments[0]!.words[1], { word: ' now', start: 0.5, end: 1, probability: 1 });
  assert.equal(doc.segments[0]!.words[1]!.word, ' not');
});

test('a segment: the same number of words keeps the times; another number spreads them over the span', () => {
  const same = applyCorrection(doc, { kind: 'segment', segment: 0, text: 'ask for that' });
  assert.deepEqual(
    same.segments[0]!.words.map((w) => [w.word, w.start]),
    [
      [' ask', 0],
      [' for', 0.5],
      [' that', 1],
    ],
  );
  const more = applyCorrection(doc, { kind: 'segment', segment: 0, text: 'ab cd' }).segments[0]!;
  assert.equal(more.text, ' ab cd');
  assert.deepEqual(
    more.words.map((w) => [w.start, w.end]),
    [
      [0, 1],
      [1, 2],
    ],
  );
});

test('a speaker is renamed; an unknown speaker, segment or word is refused; bad input fails the schema', () => {
  const withSpeakers = { ...doc, speakers: [{ id: 'S1', name: 'S1', speechSec: 2 }] };
  const renamed = applyCorrection(withSpeakers, { kind: 'speaker', id: 'S1', name: 'Ada' }) as typeof withSpeakers;
  assert.deepEqual(renamed.speakers, [{ id: 'S1', name: 'Ada', speechSec: 2 }]);
  assert.throws(() => applyCorrection(doc, { kind: 'speaker', id: 'S9', name: 'x' }), CorrectionError);
  assert.throws(() => applyCorrection(doc, { kind: 'word', segment: 3, word: 0, text: 'x' }), CorrectionError);
  assert.throws(() => applyCorrection(doc, { kind: 'word', segment: 0, word: 9, text: 'x' }), CorrectionError);
  assert.equal(Correction.safeParse({ kind: 'word', segment: 0, word: 0, text: '  ' }).success, false);
  assert.equal(Correction.safeParse({ kind: 'delete' }).success, false);
});

test('a correction cannot break a subtitle: line breaks and control characters become one space', () => {
  const fake = 'now\n\n99\n00:00:00,000 --> 00:09:00,000\nfake cue\r\u2028\u0085\u0000x';
  const word = Correction.parse({ kind: 'word', segment: 0, word: 1, text: fake });
  assert.equal(word.kind === 'word' && word.text, 'now 99 00:00:00,000 --> 00:09:00,000 fake cue x');
  const segment = Correction.parse({ kind: 'segment', segment: 0, text: 'ask\n\nnot\u2029what\u0007' });
  assert.equal(segment.kind === 'segment' && segment.text, 'ask not what');
  const speaker = Correction.parse({ kind: 'speaker', id: 'S1', name: 'Ada\n\n2\nLovelace' });
  assert.equal(speaker.kind === 'speaker' && speaker.name, 'Ada 2 Lovelace');
  assert.equal(Correction.safeParse({ kind: 'word', segment: 0, word: 0, text: '\n\r\u0000' }).success, false);

  // Even applied as sent (a document stored before this rule), the SRT keeps its three words in one cue.
  const raw = applyCorrection(doc, { kind: 'word', segment: 0, word: 1, text: fake });
  const cues = assertValidSrt(renderSrt(raw));
  assert.equal(cues.length, 1, JSON.stringify(cues));
  assertValidVtt(renderVtt(raw));
});
