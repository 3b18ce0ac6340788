// Uploads: a safe name inside the inbox, the input rules of the folder, a size limit while streaming, no clobbering.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { receiveUpload, safeUploadName, UploadError } from '../../../src/ui/upload.js';
import { tempDir } from '../../helpers/env.js';

test('names: the last path part, leading dots gone; not a recording or a partial download: refused', () => {
  assert.equal(safeUploadName('../../etc/x.wav'), 'x.wav');
  assert.equal(safeUploadName('..\\..\\x.wav'), 'x.wav');
  assert.equal(safeUploadName('.hidden.mp3'), 'hidden.mp3');
  for (const bad of ['..', '', 'notes.txt', 'talk.mp3.part', 'talk.mp3.crdownload'])
    assert.throws(() => safeUploadName(bad), UploadError, bad);
});

test('a body larger than the limit is refused while it streams and leaves nothing behind', async () => {
  const inbox = tempDir();
  const chunks = Readable.from([Buffer.alloc(600), Buffer.alloc(600)]);
  await assert.rejects(receiveUpload(chunks, 'a.wav', inbox, 1000), (e: UploadError) => e.status === 413);
  assert.deepEqual(readdirSync(inbox), []);
  const path = await receiveUpload(Readable.from([Buffer.from('ok')]), 'a.wav', inbox, 1000);
  assert.equal(readFileSync(path, 'utf8'), 'ok');
  assert.deepEqual(readdirSync(inbox), ['a.wav']);
});
