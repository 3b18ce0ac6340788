import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Config, DEFAULT_SUBTITLES } from '../../../../src/config/config.js';
import type { Segment } from '../../../../src/core/contract.js';
import { toCues, type Cue } from '../../../../src/output/render/cues.js';
import { functionWordsFor } from '../../../../src/output/render/functionWords.js';
import { layoutLines, lineUnits } from '../../../../src/output/render/lineBreak.js';
import { displayWidth } from '../../../../src/output/render/textUnits.js';
import { segment, speech } from '../../../helpers/subtitles.js';
import { endsDangling } from '../../../helpers/subtitleRules.js';

const text = (c: Cue) => c.lines.join(' ');
const words = (c: Cue) => text(c).split(' ').length;
const EN = functionWordsFor('en');
const units = (s: string, words = EN) =>
  lineUnits(
    s.split(' ').map((t, i) => ({ text: t, space: i > 0 })),
    words,
  );

const SONNET = [
  "From fairest creatures we desire increase, That thereby beauty's rose might never die,",
  'But as the riper should by time decease, His tender heir might bear his memory:',
  "But thou contracted to thine own bright eyes, Feed'st thy light's flame with self-substantial",
  'fuel, Making a famine where abundance lies, Thy self thy foe, to thy sweet self too cruel.',
  'One.',
  "Thou that art now the world's fresh ornament, And only herald to the gaudy spring,",
];

test('a short tail such as "fuel," or "One." is never left alone in running speech', () => {
  const cues = toCues(speech(SONNET, 0.33, 0.1));
  const fuel = cues.find((c) => text(c).includes('fuel,'))!;
  const one = cues.find((c) => text(c).includes('One.'))!;
  assert.ok(words(fuel) >= 3, `"fuel," cue: ${text(fuel)}`);
  assert.ok(words(one) >= 3, `"One." cue: ${text(one)}`);
  for (const c of cues) {
    assert.ok(words(c) >= 3, `orphan cue: ${text(c)}`);
    assert.ok(c.end - c.start >= DEFAULT_SUBTITLES.minDurationSec, `short cue: ${JSON.stringify(c)}`);
  }
  assert.equal(cues.map(text).join(' '), SONNET.join(' '), 'no word lost or reordered');
  // After a long pause, "fuel," (0.48 s) and a short breath before the next clause: joined to that clause.
  const after = toCues([
    segment("Feed'st thy light's flame with self-substantial and very bright and burning", 0, 0.4),
    segment('fuel,', 6.0, 0.48),
    segment('Making a famine where abundance lies,', 6.8, 0.4),
  ]);
  assert.equal(text(after.at(-1)!), 'fuel, Making a famine where abundance lies,');
});

test('cues end after sentence punctuation, then after commas, when they can', () => {
  const cues = toCues(speech(SONNET.slice(0, 4), 0.4, 0.1));
  const endings = cues.slice(0, -1).map((c) => text(c).slice(-1));
  assert.ok(
    endings.every((e) => /[.,:;]/.test(e)),
    `cue endings: ${JSON.stringify(cues.map(text))}`,
  );
});

test('a word alone between long pauses stays alone and is shown for at least 5/6 s', () => {
  const segs = [segment('One.', 0.5, 0.34), segment('From fairest creatures we desire increase,', 3.2, 0.35)];
  const cues = toCues(segs);
  assert.equal(text(cues[0]!), 'One.');
  assert.ok(cues[0]!.end - cues[0]!.start >= 5 / 6 - 1e-9);
  assert.ok(cues[0]!.end <= cues[1]!.start - 2 / 24 + 1e-9);
});

test('a pause longer than splitPauseSec always ends a cue; the limit is configurable', () => {
  // 1.8 s of silence before a lone word: split by default, merged when pauses up to 3 s may stay inside a cue.
  const segs = [segment('so we waited', 0, 0.3), segment('there.', 2.7, 0.3)];
  assert.deepEqual(toCues(segs).map(text), ['so we waited', 'there.']);
  const patient = { ...DEFAULT_SUBTITLES, splitPauseSec: 3 };
  assert.deepEqual(toCues(segs, { settings: patient }).map(text), ['so we waited there.']);
});

test('fast speech is given time to be read: the cue grows into the following pause', () => {
  const fast = 'Everything about the quarterly numbers looked considerably better than expected.';
  const cues = toCues([segment(fast, 0, 0.15), segment('Good.', 6, 0.3)]);
  const chars = cues[0]!.lines.join('').length;
  assert.ok(chars / (cues[0]!.end - cues[0]!.start) <= 20, JSON.stringify(cues[0]));
  assert.ok(cues[0]!.end <= cues[1]!.start - 2 / 24);
});

test('reading speed splits a long fast stretch into cues that each stay below 20 characters a second', () => {
  const sentences = [
    'We measured the water level every morning,',
    'and the results were written down carefully.',
    'Later the engineers compared them with last year,',
    'which showed a steady rise over the summer.',
  ];
  const cues = toCues(speech(sentences, 0.3, 0.35));
  assert.ok(cues.length >= 2);
  for (const c of cues) assert.ok(c.lines.join(' ').length / (c.end - c.start) <= 20 + 1e-9, JSON.stringify(c));
});

test('consecutive cues keep a two-frame gap and never overlap, even when words touch', () => {
  const cues = toCues(speech(SONNET, 0.3, 0));
  for (let k = 1; k < cues.length; k++) assert.ok(cues[k]!.start - cues[k - 1]!.end >= 2 / 24 - 1e-9);
  for (const c of cues) assert.ok(c.end - c.start <= 7 + 1e-9 && c.end > c.start);
});

test('lines are balanced, at most 42 characters and two lines, bottom-heavy or even', () => {
  const layout = layoutLines(units('Everybody in the small village knew exactly where the old mill used to stand'), {
    maxWidth: 42,
    maxLines: 2,
  })!;
  assert.equal(layout.lines.length, 2);
  const [top, bottom] = layout.lines.map((l) => l.length);
  assert.ok(top! <= 42 && bottom! <= 42);
  assert.ok(Math.abs(top! - bottom!) <= 12, JSON.stringify(layout.lines));
  assert.deepEqual(layoutLines(units('Short enough for one line.'), { maxWidth: 42, maxLines: 2 })!.lines, [
    'Short enough for one line.',
  ]);
  assert.equal(
    layoutLines(units('x'.repeat(40) + ' ' + 'y'.repeat(40) + ' ' + 'z'.repeat(10)), { maxWidth: 42, maxLines: 2 }),
    null,
  );
});

test('a line does not end on an article, preposition or conjunction when another break fits', () => {
  // The even break would fall right after "the".
  const layout = layoutLines(units('They walked slowly along the quiet river towards the old stone bridge'), {
    maxWidth: 42,
    maxLines: 2,
  })!;
  assert.ok(!layout.lines.some(endsDangling), JSON.stringify(layout.lines));
  const de = layoutLines(
    units('Wir haben gestern lange mit den Nachbarn über die neue Straße gesprochen', functionWordsFor('de')),
    { maxWidth: 42, maxLines: 2 },
  )!;
  assert.ok(!/ (den|die|über|mit)$/.test(de.lines[0]!), JSON.stringify(de.lines));
});

test('cue ends avoid articles, prepositions and conjunctions in running speech', () => {
  const sentences = Array.from(
    { length: 12 },
    (_, i) =>
      `the man ${i} went to the market and bought some bread for the family of his brother and then he went home`,
  );
  const cues = toCues(speech(sentences, 0.28, 0));
  const lines = cues.flatMap((c) => c.lines);
  assert.ok(lines.filter(endsDangling).length / lines.length <= 0.02, JSON.stringify(cues.map((c) => c.lines)));
});

test('CJK text is measured and broken by characters, without inserted spaces', () => {
  const ja = '今日はとても良い天気ですね。明日も晴れるでしょうか。週末は家族と一緒に公園へ行く予定です。';
  const chars = [...ja];
  const seg: Segment = {
    start: 0,
    end: chars.length * 0.2,
    text: ja,
    words: chars.map((ch, i) => ({ word: ch, start: i * 0.2, end: (i + 1) * 0.2, probability: 0.9 })),
  };
  const cues = toCues([seg], { language: 'ja' });
  assert.equal(cues.map((c) => c.lines.join('')).join(''), ja);
  for (const c of cues) {
    assert.ok(
      c.lines.every((l) => !l.includes(' ') && displayWidth(l) <= 42),
      JSON.stringify(c.lines),
    );
    assert.ok(
      c.lines.every((l) => !/^[。、]/.test(l)),
      'punctuation never starts a line',
    );
  }
  // A Chinese segment without word timings: one long "word" is still broken by characters.
  const zh = '我们今天讨论的是城市交通问题以及如何减少道路拥堵和空气污染的办法';
  const zhCues = toCues([{ start: 0, end: 8, text: zh, words: [] }], { language: 'zh' });
  assert.ok(
    zhCues.length >= 1 && zhCues.flatMap((c) => c.lines).every((l) => displayWidth(l) <= 42 && !l.includes(' ')),
  );
  assert.equal(zhCues.map((c) => c.lines.join('')).join(''), zh);
});

test('right-to-left text passes through in logical order', () => {
  const ar = 'مرحبا بكم في هذا البرنامج الجديد عن تاريخ المدينة القديمة وأسواقها الشهيرة، ونتحدث اليوم مع ضيوفنا';
  const he = 'שלום לכולם וברוכים הבאים לתוכנית שלנו היום';
  const cues = toCues([segment(ar, 0, 0.4), segment(he, 9, 0.4)], { language: 'ar' });
  assert.equal(cues.map(text).join(' '), `${ar} ${he}`);
  assert.ok(cues.flatMap((c) => c.lines).every((l) => l.length <= 42));
});

test('segments without word timings are timed by interpolating their characters', () => {
  const long =
    'this is a rather long sentence that will certainly not fit on two subtitle lines of forty two characters each';
  const cues = toCues([{ start: 10, end: 17, text: ` ${long}`, words: [] }]);
  assert.ok(cues.length >= 2);
  assert.equal(cues.map(text).join(' '), long);
  assert.ok(Math.abs(cues[0]!.start - 10) < 1e-9);
  for (let k = 1; k < cues.length; k++) assert.ok(cues[k]!.start > cues[k - 1]!.end);
  assert.ok(cues.at(-1)!.end <= 17 + 1e-9 + 1);
});

test('the subtitles config group has the broadcast defaults and takes partial overrides', () => {
  const parsed = Config.parse({ subtitles: { maxLineChars: 20 } }).subtitles;
  assert.equal(parsed.maxLineChars, 20);
  assert.equal(parsed.maxLines, 2);
  assert.deepEqual(Config.parse({}).subtitles, {
    maxLineChars: 42,
    maxLines: 2,
    minDurationSec: 5 / 6,
    maxDurationSec: 7,
    maxCharsPerSec: 20,
    minGapSec: 2 / 24,
    splitPauseSec: 1.5,
    karaoke: false,
    frameRate: 25,
    documentTimestamps: 'plain',
    timestampEverySec: 0,
  });
  const cues = toCues(speech(SONNET, 0.33, 0.1), { settings: parsed });
  assert.ok(cues.flatMap((c) => c.lines).every((l) => l.length <= 20));
});
