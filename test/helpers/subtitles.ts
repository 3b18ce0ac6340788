// Subtitle test helpers: validators for SRT and WebVTT text (structure, time format, order) and timed
// transcript segments to build cues from.
import assert from 'node:assert/strict';
import type { Segment } from '../../src/core/contract.js';

const toSec = (t: string) => {
  const m = /^(\d{2}):(\d{2}):(\d{2})[,.](\d{3})$/.exec(t);
  assert.ok(m, `bad timestamp ${t}`);
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(m[4]) / 1000;
};

/** Parse cues, asserting the format on the way; returns the cue texts. */
export function assertValidSrt(text: string): string[] {
  const blocks = text.trim().split(/\n\n+/);
  assert.ok(blocks.length > 0 && blocks[0] !== '', 'SRT has no cues');
  let last = 0;
  return blocks.map((b, i) => {
    const [num, timing, ...lines] = b.split('\n');
    assert.equal(num, String(i + 1), `cue ${i + 1} is numbered ${num}`);
    const m = /^(\S+) --> (\S+)$/.exec(timing ?? '');
    assert.ok(m, `bad SRT timing line: ${timing}`);
    assert.ok(m[1]!.includes(',') && m[2]!.includes(','), 'SRT uses a comma before milliseconds');
    const [s, e] = [toSec(m[1]!), toSec(m[2]!)];
    assert.ok(s < e, `cue ${i + 1} ends before it starts`);
    assert.ok(s >= last - 1e-9, `cue ${i + 1} starts before the previous one ends`);
    last = e;
    assert.ok(
      lines.length >= 1 && lines.length <= 2 && lines.every((l) => l.trim()),
      `cue ${i + 1} text lines: ${JSON.stringify(lines)}`,
    );
    return lines.join(' ');
  });
}

export function assertValidVtt(text: string): string[] {
  assert.ok(text.startsWith('WEBVTT'), 'VTT must start with WEBVTT');
  const blocks = text.trim().split(/\n\n+/).slice(1);
  assert.ok(blocks.length > 0, 'VTT has no cues');
  let last = 0;
  return blocks.map((b) => {
    const [timing, ...lines] = b.split('\n');
    const m = /^(\S+) --> (\S+)$/.exec(timing ?? '');
    assert.ok(m, `bad VTT timing line: ${timing}`);
    assert.ok(m[1]!.includes('.') && m[2]!.includes('.'), 'VTT uses a dot before milliseconds');
    const [s, e] = [toSec(m[1]!), toSec(m[2]!)];
    assert.ok(s < e && s >= last - 1e-9, 'VTT cues are ordered and non-empty');
    last = e;
    assert.ok(lines.length >= 1 && !lines.some((l) => l.includes('-->')));
    return lines.join(' ');
  });
}

/** Words of `text` (split on spaces), each `step` seconds long, starting at `start`. */
export function timedWords(text: string, start: number, step: number): Segment['words'] {
  return text
    .split(' ')
    .map((w, i) => ({ word: ` ${w}`, start: start + i * step, end: start + (i + 1) * step, probability: 0.9 }));
}

/** A segment with word timings. */
export function segment(text: string, start: number, step: number): Segment {
  const words = timedWords(text, start, step);
  return { start, end: words.at(-1)!.end, text: ` ${text}`, words };
}

/** Segments spoken one after another, `gap` seconds apart, at `step` seconds a word. */
export function speech(sentences: string[], step: number, gap = 0, start = 0): Segment[] {
  let t = start;
  return sentences.map((s) => {
    const seg = segment(s, t, step);
    t = seg.end + gap;
    return seg;
  });
}
