import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Segment, SpeakerInfo } from '../../../../src/core/contract.js';
import { languageAt } from '../../../../src/core/transcriptDocument.js';
import { RENDERERS, type TranscriptDocument } from '../../../../src/output/render/index.js';
import { assertValidVtt, timedWords } from '../../../helpers/subtitles.js';

const speakers: SpeakerInfo[] = [
  { id: 'S1', name: null, speechSec: 6 },
  { id: 'S2', name: null, speechSec: 3 },
];

function said(text: string, start: number, speaker: string, language: string): Segment {
  const words = timedWords(text, start, 0.4).map((w) => ({ ...w, speaker, language }));
  return { start, end: words.at(-1)!.end, text: ` ${text}`, words, speaker, language };
}

/** A Spanish speaker and a German one taking turns; Spanish has the most speech. */
function bilingual(): TranscriptDocument {
  return {
    source: 'a.wav',
    language: 'es',
    languageProbability: 0.6,
    languages: [
      { language: 'es', speechSec: 6 },
      { language: 'de', speechSec: 3 },
    ],
    task: 'transcribe',
    backend: 'faster-whisper',
    model: 'base',
    alignment: 'native',
    durationSec: 20,
    processingSec: 1,
    degraded: [],
    notes: [],
    speechFound: true,
    createdAt: 'now',
    segments: [
      said('Buenos días, me llamo Carmen.', 0, 'S1', 'es'),
      said('Guten Tag, ich heiße Max.', 4, 'S2', 'de'),
      said('Sí, claro.', 8, 'S1', 'es'),
    ],
    suppressed: [],
    speakers,
  };
}

test('the language of a stretch is that of the segment overlapping it most, else the main one', () => {
  const doc = bilingual();
  assert.equal(languageAt(doc, 4.1, 5), 'de');
  assert.equal(languageAt(doc, 0, 1), 'es');
  assert.equal(languageAt(doc, 30, 31), 'es');
});

test('VTT: a cue in another language than the main one is a language span; the others are not', () => {
  const vtt = RENDERERS.vtt(bilingual());
  assertValidVtt(vtt);
  assert.match(vtt, /Language: es\n/);
  assert.match(vtt, /<v Speaker 2><lang de>Guten Tag, ich heiße Max\.<\/lang>/);
  assert.doesNotMatch(vtt, /<lang es>/);
  assert.equal((vtt.match(/<lang /g) ?? []).length, 1);
});

test('JSON: the document lists its languages with their speech time, each segment and word says its own', () => {
  const json = JSON.parse(RENDERERS.json(bilingual()) as string);
  assert.deepEqual(json.languages, [
    { language: 'es', speechSec: 6 },
    { language: 'de', speechSec: 3 },
  ]);
  assert.deepEqual(
    json.segments.map((s: Segment) => s.language),
    ['es', 'de', 'es'],
  );
  assert.equal(json.segments[1].words[0].language, 'de');
});

test('TXT keeps the speaker labels of a conversation in two languages', () => {
  const txt = RENDERERS.txt(bilingual()) as string;
  assert.match(txt, /Speaker 1: Buenos días/);
  assert.match(txt, /Speaker 2: Guten Tag/);
});
