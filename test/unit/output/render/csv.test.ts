// CSV read back by Python's csv module: a row a segment, times as the JSON's, speaker names, confidence; quotes,
// commas and formulas safe.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { confidenceOf, renderCsv } from '../../../../src/output/render/csv.js';
import { tempDir } from '../../../helpers/env.js';
import { python } from './readers.js';
import { conversation } from './sampleDocs.js';

test("Python's csv module reads every segment with its times, speaker, text and confidence", () => {
  const doc = conversation();
  const file = join(tempDir('dropscribe-csv-'), 'a.csv');
  writeFileSync(file, renderCsv(doc));
  const rows = JSON.parse(
    python(
      'import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))))',
      file,
    ),
  ) as Record<string, string>[];
  assert.equal(rows.length, doc.segments.length);
  rows.forEach((row, i) => {
    const seg = doc.segments[i]!;
    assert.ok(Math.abs(Number(row.start) - seg.start) <= 0.001 && Math.abs(Number(row.end) - seg.end) <= 0.001);
    assert.equal(row.speaker, seg.speaker === 'S1' ? 'Alice' : 'Bob');
    assert.ok(Math.abs(Number(row.confidence) - confidenceOf(seg)!) < 0.001);
  });
  assert.equal(rows[3]!.text, 'It is about rivers "and", =SUM(A1) their towns.');
  assert.deepEqual(Object.keys(rows[0]!), ['start', 'end', 'speaker', 'text', 'confidence']);
});

test('a cell a spreadsheet would run as a formula starts with an apostrophe', () => {
  const doc = conversation();
  doc.segments = [{ ...doc.segments[0]!, text: ' =HYPERLINK("http://x")' }];
  assert.match(renderCsv(doc), /,"'=HYPERLINK\(""http:\/\/x""\)",/);
});
