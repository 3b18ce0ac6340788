// Signed media addresses: the <audio>/<video> element cannot send a Bearer header, so the page plays the recording
// through an address signed for one job that expires after 15 minutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEDIA_URL_TTL_MS, MediaUrls } from '../../../src/ui/mediaUrl.js';

const query = (url: string) => Object.fromEntries(new URL(url, 'http://x').searchParams);

test('a signed address opens its own job only, until it expires', () => {
  let now = 5_000;
  const urls = new MediaUrls(() => now);
  const url = urls.sign(7);
  assert.match(url, /^\/api\/jobs\/7\/media\?exp=\d+&sig=[A-Za-z0-9_-]{43}$/);
  const q = query(url);
  assert.equal(urls.verify(7, q), true);
  assert.equal(urls.verify(8, q), false, 'another job');
  assert.equal(urls.verify(7, { ...q, exp: String(Number(q.exp) + 1000) }), false, 'a later expiry');
  assert.equal(urls.verify(7, { ...q, sig: q.sig!.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }), false);
  assert.equal(urls.verify(7, {}), false);
  assert.equal(urls.verify(7, { exp: [q.exp, q.exp], sig: q.sig } as never), false, 'repeated parameters');
  assert.equal(new MediaUrls(() => now).verify(7, q), false, 'another daemon (a restart) has another key');
  now += MEDIA_URL_TTL_MS + 1;
  assert.equal(urls.verify(7, q), false, 'expired');
  assert.ok(MEDIA_URL_TTL_MS <= 15 * 60_000);
});
