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
  await assert.rejects(
    receiveUpload(chunks, { name: 'a.wav', inbox, maxBytes: 1000 }),
    (e: UploadError) => e.status === 413,
  );
  assert.deepEqual(readdirSync(inbox), []);
  const path = await receiveUpload(Readable.from([Buffer.from('ok')]), { name: 'a.wav', inbox, maxBytes: 1000 });
  assert.equal(readFileSync(path, 'utf8'), 'ok');
  assert.deepEqual(readdirSync(inbox), ['a.wav']);
});

test('a name too long for the file system, or an empty body: refused with a 400, nothing left in the inbox', async () => {
  const inbox = tempDir();
  const long = `${'n'.repeat(300)}.wav`;
  await assert.rejects(
    receiveUpload(Readable.from([Buffer.from('RIFF')]), { name: long, inbox, maxBytes: 1000 }),
    (e: Error) => {
      assert.ok(e instanceof UploadError, String(e));
      assert.equal(e.status, 400);
      return true;
    },
  );
  // 255 bytes is the limit of one name on ext4 and APFS: a name of 200 two-byte characters is too long too.
  assert.throws(
    () => safeUploadName(`${'é'.repeat(200)}.wav`),
    (e: UploadError) => e.status === 400,
  );
  await assert.rejects(receiveUpload(Readable.from([]), { name: 'empty.wav', inbox, maxBytes: 1000 }), (e: Error) => {
    assert.ok(e instanceof UploadError, String(e));
    assert.equal(e.status, 400);
    return true;
  });
  assert.deepEqual(readdirSync(inbox), []);
});
