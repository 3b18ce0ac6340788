import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSrt, endsDangling, parseSrt, summarize } from '../../../helpers/subtitleRules.js';

const srt = (cues: [string, string, ...string[]][]) =>
  cues
    .map(([start, end, ...lines], i) => `${i + 1}\n00:00:${start} --> 00:00:${end}\n${lines.join('\n')}\n`)
    .join('\n');

test('the checker parses SRT, CRLF and a byte-order mark included', () => {
  const cues = parseSrt(
    '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nHello\r\nthere\r\n\r\n2\r\n01:00:00,000 --> 01:00:01,000\r\nBye\r\n',
  );
  assert.deepEqual(
    cues.map((c) => [c.index, c.start, c.end, c.lines]),
    [
      [1, 1, 2.5, ['Hello', 'there']],
      [2, 3600, 3601, ['Bye']],
    ],
  );
  assert.deepEqual(parseSrt(''), []);
  assert.throws(() => parseSrt('1\n00:00:01 --> 00:00:02\nx\n'), /bad SRT time stamp/);
});

test('a clean file passes every rule', () => {
  const reports = checkSrt(
    srt([
      ['01,000', '04,000', 'A perfectly ordinary subtitle line,', 'followed by a second one.'],
      ['04,084', '05,000', 'Short but fine.'],
    ]),
  );
  assert.deepEqual(
    reports.map((r) => r.broken),
    [[], []],
  );
  const sum = summarize([reports]);
  assert.equal(sum.passingShare, 1);
  assert.equal(sum.danglingLines, 0);
  assert.equal(sum.shortNotInPause, 0);
});

test('the checker catches each broken rule', () => {
  const reports = checkSrt(
    srt([
      ['00,000', '04,000', 'This line is much longer than forty-two characters, clearly.'],
      ['05,000', '08,900', 'one', 'two', 'three'],
      ['10,000', '10,500', 'Hi.'],
      ['12,000', '19,500', 'Seven and a half seconds.'],
      ['20,000', '21,000', 'Thirty characters in a second.'],
      ['22,000', '23,000', 'Too close'],
      ['23,020', '25,000', 'We walked across the', 'bridge and'],
    ]),
  );
  assert.deepEqual(
    reports.map((r) => r.broken),
    [['line-length'], ['line-count'], ['too-short'], ['too-long'], ['reading-speed'], ['gap'], ['dangling-word']],
  );
  const sum = summarize([reports]);
  assert.equal(sum.cues, 7);
  assert.equal(sum.passing, 0);
  assert.equal(sum.danglingLines, 2);
  assert.equal(sum.lines, 10);
  assert.equal(sum.byRule['too-short'], 1);
  assert.equal(sum.shortNotInPause, 0, '"Hi." has pauses of more than 1 s on both sides');
});

test('a short cue counts against the pause rule unless long pauses surround it', () => {
  const crowded = checkSrt(
    srt([
      ['00,000', '02,000', 'Before.'],
      ['02,200', '02,600', 'Hi.'],
      ['05,000', '07,000', 'After.'],
    ]),
  );
  const alone = checkSrt(
    srt([
      ['00,000', '02,000', 'Before.'],
      ['03,200', '03,600', 'Hi.'],
      ['05,000', '07,000', 'After.'],
    ]),
  );
  assert.equal(summarize([crowded]).shortNotInPause, 1);
  assert.equal(summarize([alone]).shortNotInPause, 0);
  assert.equal(summarize([crowded, alone]).cues, 6, 'summaries add up over files');
});

test('dangling words: bare articles, prepositions and conjunctions, not words closed by punctuation', () => {
  for (const line of ['over the', 'bread and', 'a walk to', 'Look at "the']) assert.ok(endsDangling(line), line);
  for (const line of ['give up.', 'and so,', 'the end', 'Theatre']) assert.ok(!endsDangling(line), line);
});
