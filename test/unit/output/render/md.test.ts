// Markdown read back by pandoc: the title, the facts, a paragraph a turn with the speaker in bold and the time;
// transcript text that looks like markup stays text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SUBTITLES } from '../../../../src/config/config.js';
import { renderMd } from '../../../../src/output/render/md.js';
import { run } from './readers.js';
import { conversation } from './sampleDocs.js';

interface Node {
  t: string;
  c?: unknown;
}

test('pandoc reads the title, the facts and one paragraph a speaker turn', () => {
  const md = renderMd(conversation());
  const plain = run('pandoc', ['-f', 'markdown', '-t', 'plain', '--wrap=none'], md);
  assert.match(plain, /^Alice: \[00:00:08\] Tell us about \{the\} C:\\new book, please\.$/m);
  assert.match(plain, /^Bob: \[00:00:03\] Thanks, Alice! I paid \$5 for \*this\* <b>ticket<\/b>\.$/m);
  assert.match(plain, /Speakers: Alice, Bob/);
  const ast = JSON.parse(run('pandoc', ['-f', 'markdown', '-t', 'json'], md)) as { blocks: Node[] };
  assert.equal(ast.blocks[0]!.t, 'Header');
  const paragraphs = ast.blocks.filter((b) => b.t === 'Para');
  assert.equal(paragraphs.length, 4);
  const kinds = JSON.stringify(paragraphs);
  for (const markup of ['"Emph"', '"RawInline"', '"Math"', '"Link"']) assert.ok(!kinds.includes(markup), markup);
  assert.equal(JSON.stringify(paragraphs.map((p) => (p.c as Node[])[0]!.t)), JSON.stringify(Array(4).fill('Strong')));
});

test('MAXQDA stamps, NVivo stamps first, and stamps inside a long turn', () => {
  const at = (form: 'maxqda' | 'nvivo', every = 0) =>
    run(
      'pandoc',
      ['-f', 'markdown', '-t', 'plain', '--wrap=none'],
      renderMd(conversation(), { ...DEFAULT_SUBTITLES, documentTimestamps: form, timestampEverySec: every }),
    );
  assert.match(at('maxqda'), /^Bob: #00:00:03-2# Thanks/m);
  assert.match(at('nvivo', 4), /^00:00:12\.4 Bob: It is about .* towns\. 00:00:17\.0 Every town/m);
});
