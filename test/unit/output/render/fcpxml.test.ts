// FCPXML checked by xmllint against the part of Apple's FCPXML 1.10 DTD it uses (test/fixtures/fcpxml): captions of
// an iTT role in the transcript's language, every time a whole number of frames and within one frame of the cues.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_SUBTITLES } from '../../../../src/config/config.js';
import { toCues } from '../../../../src/output/render/cues.js';
import { frameRateOf, renderFcpxml } from '../../../../src/output/render/fcpxml.js';
import { FIXTURES, tempDir } from '../../../helpers/env.js';
import { run } from './readers.js';
import { arabic, conversation } from './sampleDocs.js';

const DTD = join(FIXTURES, 'fcpxml', 'FCPXMLv1_10-captions.dtd');
const dir = tempDir('dropscribe-fcpxml-');

function validated(name: string, xml: string): string {
  const file = join(dir, name);
  writeFileSync(file, xml);
  run('xmllint', ['--noout', '--dtdvalid', DTD, file]);
  return file;
}

/** An attribute of every element named `element`, as xmllint's XPath reads it. */
function attributes(file: string, element: string, attribute: string): string[] {
  const out = run('xmllint', ['--xpath', `//${element}/@${attribute}`, file]);
  return [...out.matchAll(new RegExp(`${attribute}="([^"]*)"`, 'g'))].map((m) => m[1]!);
}

/** Seconds of a rational FCPXML time, and its frames at `rate` (undefined when it is not a whole frame). */
function frames(time: string, rate: { num: number; den: number }): number | undefined {
  const m = /^(\d+)(?:\/(\d+))?s$/.exec(time);
  assert.ok(m, time);
  const seconds = Number(m[1]) / Number(m[2] ?? 1);
  const n = (seconds * rate.num) / rate.den;
  return Math.abs(n - Math.round(n)) < 1e-9 ? Math.round(n) : undefined;
}

for (const fps of [25, 29.97]) {
  test(`valid FCPXML 1.10 captions at ${fps} fps: iTT role, whole frames, within a frame of the cues`, () => {
    const doc = { ...conversation(), ...(fps === 25 ? {} : { frameRate: fps }) };
    const file = validated(`a${fps}.fcpxml`, renderFcpxml(doc));
    const rate = frameRateOf(fps);
    assert.deepEqual(attributes(file, 'format', 'frameDuration'), [`${rate.den}/${rate.num}s`]);
    const roles = attributes(file, 'caption', 'role');
    const cues = toCues(doc.segments, { language: 'en' });
    assert.equal(roles.length, cues.length);
    assert.ok(roles.every((r) => r === 'iTT?captionFormat=ITT.en'));
    const offsets = attributes(file, 'caption', 'offset').map((t) => frames(t, rate));
    const durations = attributes(file, 'caption', 'duration').map((t) => frames(t, rate));
    const frame = rate.den / rate.num;
    cues.forEach((cue, i) => {
      assert.ok(offsets[i] !== undefined && durations[i] !== undefined, 'whole frames');
      assert.ok(Math.abs(offsets[i]! * frame - cue.start) <= frame, `start ${i}`);
      assert.ok(Math.abs((offsets[i]! + durations[i]!) * frame - cue.end) <= frame, `end ${i}`);
    });
    const text = run('xmllint', ['--xpath', 'string(//caption[2]/text/text-style)', file]);
    assert.equal(text.replace(/\n$/, ''), cues[1]!.lines.join('\n')); // xmllint ends its output with a line break
  });
}

test('the caption role carries the language; markup in the text stays text', () => {
  const file = validated('ar.fcpxml', renderFcpxml(arabic()));
  assert.ok(attributes(file, 'caption', 'role').every((r) => r === 'iTT?captionFormat=ITT.ar'));
  const doc = conversation();
  const en = validated('b.fcpxml', renderFcpxml(doc));
  assert.match(run('xmllint', ['--xpath', 'string(//caption[2]/text/text-style)', en]), /<b>ticket<\/b>/);
});

test('frame rates: NTSC rates exactly, whole rates as such', () => {
  assert.deepEqual(frameRateOf(29.97), { num: 30000, den: 1001 });
  assert.deepEqual(frameRateOf(23.976), { num: 24000, den: 1001 });
  assert.deepEqual(frameRateOf(25), { num: 25, den: 1 });
  assert.deepEqual(frameRateOf(59.94), { num: 60000, den: 1001 });
});

test("a video's captions sit in the recording's clip on the spine (an asset with its file URL); audio's on a gap", () => {
  const doc = { ...conversation(), frameRate: 29.97 };
  const file = validated('video.fcpxml', renderFcpxml(doc, DEFAULT_SUBTITLES, '/media/clips/talk 1.mp4'));
  assert.deepEqual(attributes(file, 'asset/media-rep', 'src'), ['file:///media/clips/talk%201.mp4']);
  const asset = attributes(file, 'asset', 'id');
  assert.deepEqual(attributes(file, 'spine/asset-clip', 'ref'), asset);
  const cues = toCues(doc.segments, { language: 'en' });
  assert.equal(attributes(file, 'spine/asset-clip/caption', 'role').length, cues.length);
  assert.equal(run('xmllint', ['--xpath', 'count(//gap)', file]).trim(), '0');
  const audio = validated('audio.fcpxml', renderFcpxml(conversation(), DEFAULT_SUBTITLES, '/media/talk.wav'));
  assert.equal(attributes(audio, 'spine/gap/caption', 'role').length, cues.length);
  assert.equal(run('xmllint', ['--xpath', 'count(//asset)', audio]).trim(), '0');
});
