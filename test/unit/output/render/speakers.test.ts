import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Segment, SpeakerInfo } from '../../../../src/core/contract.js';
import { toCues } from '../../../../src/output/render/cues.js';
import { speakerLabel } from '../../../../src/core/transcriptDocument.js';
import { RENDERERS, type TranscriptDocument } from '../../../../src/output/render/index.js';
import { assertValidSrt, assertValidVtt, timedWords as words } from '../../../helpers/subtitles.js';
import { checkCues, parseSrt } from '../../../helpers/subtitleRules.js';

function doc(segments: Segment[], speakers: SpeakerInfo[]): TranscriptDocument {
  return {
    source: 'a.mp3',
    language: 'en',
    languageProbability: 1,
    task: 'transcribe',
    backend: 'faster-whisper',
    model: 'tiny.en',
    alignment: 'native',
    durationSec: 20,
    processingSec: 1,
    degraded: [],
    notes: [],
    speechFound: true,
    createdAt: 'now',
    segments,
    suppressed: [],
    speakers,
  };
}

function said(text: string, start: number, speaker: string): Segment {
  const w = words(text, start, 0.4).map((x) => ({ ...x, speaker }));
  return { start, end: w.at(-1)!.end, text: ` ${text}`, words: w, speaker };
}

const two: SpeakerInfo[] = [
  { id: 'S1', name: 'Alice', speechSec: 2 },
  { id: 'S2', name: null, speechSec: 1 },
];
// The second speaker answers 0.2 s after the first: no pause would end the cue, only the change of speaker.
const dialogue = doc([said('how are you today', 0, 'S1'), said('fine thanks', 1.8, 'S2'), said('good', 3, 'S1')], two);

test('labels: a name, else Speaker N; none with a single speaker', () => {
  assert.equal(speakerLabel(dialogue, 'S1'), 'Alice');
  assert.equal(speakerLabel(dialogue, 'S2'), 'Speaker 2');
  assert.equal(speakerLabel({ speakers: [two[0]!] }, 'S1'), undefined);
});

test('TXT starts a paragraph at each change of speaker, with the label', () => {
  assert.equal(RENDERERS.txt(dialogue), 'Alice: how are you today\n\nSpeaker 2: fine thanks\n\nAlice: good\n');
});

test('TXT of a one-speaker recording has no labels', () => {
  const one = doc([said('just me talking', 0, 'S1')], [{ id: 'S1', name: null, speechSec: 1 }]);
  assert.equal(RENDERERS.txt(one), 'just me talking\n');
});

test('VTT cues are voice spans, one speaker a cue', () => {
  const vtt = RENDERERS.vtt(dialogue);
  assertValidVtt(vtt);
  assert.match(vtt, /<v Alice>how are you today/);
  assert.match(vtt, /<v Speaker 2>fine thanks/);
});

test('SRT and cues never mix two speakers in a cue', () => {
  const cues = toCues(dialogue.segments);
  assert.deepEqual(
    cues.map((c) => c.speaker),
    ['S1', 'S2', 'S1'],
  );
  assertValidSrt(RENDERERS.srt(dialogue));
});

test('JSON carries speaker on segments and words and lists the speakers', () => {
  const json = JSON.parse(RENDERERS.json(dialogue));
  assert.deepEqual(json.speakers, two);
  assert.equal(json.segments[1].speaker, 'S2');
  assert.equal(json.segments[1].words[0].speaker, 'S2');
});

test('SRT joins a too-short exchange of two speakers into one dialogue cue with leading hyphens; cue rules hold', () => {
  const quick = doc([said('yes', 0, 'S1'), said('no', 0.4, 'S2'), said('well then I will go now', 2, 'S1')], two);
  const srt = RENDERERS.srt(quick);
  assertValidSrt(srt);
  const cues = parseSrt(srt);
  assert.deepEqual(
    cues.map((c) => c.lines),
    [['-Alice: yes', '-Speaker 2: no'], ['Alice: well then I will go now']],
  );
  assert.deepEqual(
    checkCues(cues).flatMap((r) => r.broken),
    [],
  );
});

test('SRT keeps one speaker a cue when each cue is long enough, and without speakers never joins', () => {
  const lines = (d: TranscriptDocument) => parseSrt(RENDERERS.srt(d)).map((c) => c.lines);
  assert.deepEqual(lines(dialogue), [['Alice: how are you today'], ['Speaker 2: fine thanks'], ['Alice: good']]);
  const quick = doc([said('yes', 0, 'S1'), said('no', 0.4, 'S2')], []);
  assert.ok(lines(quick).every((cue) => cue.every((line) => !line.startsWith('-'))));
});

test('SRT names the speaker where the speaker changes, counted in the line length; not after a pause nor with one speaker', () => {
  const long = 'so we went down to the harbour early and waited for the boat that never came';
  const named = doc(
    [said(long, 0, 'S1'), said('and then what happened', 12, 'S2'), said('we waited', 20, 'S2')],
    [
      { id: 'S1', name: 'Alexandria Montgomery', speechSec: 8 },
      { id: 'S2', name: 'Ben', speechSec: 2 },
    ],
  );
  const cues = parseSrt(RENDERERS.srt(named));
  const texts = cues.map((c) => c.lines.join(' '));
  assert.ok(texts[0]!.startsWith('Alexandria Montgomery: so we went'), texts[0]);
  assert.equal(texts.filter((t) => t.includes('Alexandria Montgomery:')).length, 1);
  assert.ok(
    texts.some((t) => t.startsWith('Ben: and then what happened')),
    texts.join(' | '),
  );
  assert.equal(texts.at(-1), 'we waited', 'a pause alone does not repeat the name');
  assert.deepEqual(
    checkCues(cues).flatMap((r) => r.broken),
    [],
  );
  const one = doc([said(long, 0, 'S1')], [{ id: 'S1', name: 'Alexandria Montgomery', speechSec: 8 }]);
  assert.ok(!RENDERERS.srt(one).includes('Alexandria'));
});
