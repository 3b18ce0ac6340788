// Who may use the web page: Host, token (header, query, cookie) and origin, decided without a server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRequest, cookieValue, tokenCookie, type RequestFacts } from '../../../src/ui/security.js';

const TOKEN = 'a'.repeat(32);
const base: RequestFacts = {
  method: 'GET',
  host: '127.0.0.1:4717',
  origin: undefined,
  secFetchSite: undefined,
  authorization: undefined,
  cookie: undefined,
  queryToken: undefined,
};
const check = (r: Partial<RequestFacts>) => checkRequest({ ...base, ...r }, 4717, TOKEN);

test('the token from a Bearer header, the address or the cookie; nothing else', () => {
  assert.deepEqual(check({ authorization: `Bearer ${TOKEN}` }), { ok: true, viaQuery: false });
  assert.deepEqual(check({ queryToken: TOKEN }), { ok: true, viaQuery: true });
  assert.deepEqual(check({ cookie: `x=1; ${tokenCookie(TOKEN).split(';')[0]}` }), { ok: true, viaQuery: false });
  for (const r of [{}, { authorization: 'Bearer b' }, { queryToken: TOKEN.slice(1) }, { cookie: 'dropscribe_token=' }])
    assert.equal((check(r) as { status: number }).status, 401, JSON.stringify(r));
});

test('only the loopback Host with the port', () => {
  const ok = { authorization: `Bearer ${TOKEN}` };
  assert.equal(check({ ...ok, host: 'LOCALHOST:4717' }).ok, true);
  for (const host of [undefined, '127.0.0.1', '127.0.0.1:80', 'attacker.example:4717', '[::1]:4717'])
    assert.equal((check({ ...ok, host }) as { status: number }).status, 403, String(host));
});

test('writes from another origin are refused before the token is looked at', () => {
  const post = { method: 'POST', authorization: `Bearer ${TOKEN}` };
  assert.equal(check({ ...post, origin: 'http://127.0.0.1:4717' }).ok, true);
  assert.equal(check({ ...post, secFetchSite: 'same-origin' }).ok, true);
  assert.equal((check({ ...post, origin: 'http://evil.example' }) as { status: number }).status, 403);
  assert.equal((check({ ...post, origin: 'null' }) as { status: number }).status, 403);
  assert.equal((check({ ...post, secFetchSite: 'cross-site' }) as { status: number }).status, 403);
  assert.equal(check({ origin: 'http://evil.example', authorization: `Bearer ${TOKEN}` }).ok, true, 'reads: the token');
});

test('the cookie is HttpOnly and SameSite=Strict; cookie values are read by name', () => {
  assert.match(tokenCookie(TOKEN), /^dropscribe_token=a+; HttpOnly; SameSite=Strict; Path=\/$/);
  assert.equal(cookieValue('a=1; b=x%3Dy', 'b'), 'x=y');
  assert.equal(cookieValue(undefined, 'b'), undefined);
});
