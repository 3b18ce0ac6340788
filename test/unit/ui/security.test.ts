// Who may use the web page: the loopback Host, a Bearer credential (the token or a page session) unless the route is
// open, and no state-changing request from another origin; decided without a server. No cookie is ever a credential.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkRequest, SECURITY_HEADERS, type RequestFacts } from '../../../src/ui/security.js';

const TOKEN = 'a'.repeat(32);
const SESSION = 's'.repeat(43);
const base: RequestFacts = {
  method: 'GET',
  host: '127.0.0.1:4717',
  origin: undefined,
  secFetchSite: undefined,
  authorization: undefined,
};
const isCredential = (c: string) => c === TOKEN || c === SESSION;
const check = (r: Partial<RequestFacts> & Record<string, unknown>, open = false) =>
  checkRequest({ ...base, ...r }, 4717, { isCredential, open });
const status = (v: ReturnType<typeof check>) => (v.ok ? 200 : v.status);

test('a Bearer header with the token or a session; a cookie or an address never', () => {
  assert.equal(status(check({ authorization: `Bearer ${TOKEN}` })), 200);
  assert.equal(status(check({ authorization: `bearer ${SESSION}` })), 200);
  for (const r of [
    {},
    { authorization: 'Bearer b' },
    { authorization: TOKEN },
    { cookie: `dropscribe_token=${TOKEN}` },
    { cookie: 'dropscribe_token=%E0%A4%A' },
    { queryToken: TOKEN },
  ])
    assert.equal(status(check(r)), 401, JSON.stringify(r));
});

test('an open route (the page shell, a signed media address) needs no credential, but the Host still counts', () => {
  assert.equal(status(check({}, true)), 200);
  assert.equal(status(check({ host: `evil.example:4717` }, true)), 403);
});

test('only the loopback Host with the port', () => {
  const ok = { authorization: `Bearer ${TOKEN}` };
  assert.equal(check({ ...ok, host: 'LOCALHOST:4717' }).ok, true);
  for (const host of [undefined, '127.0.0.1', '127.0.0.1:80', 'attacker.example:4717', '[::1]:4717'])
    assert.equal(status(check({ ...ok, host })), 403, String(host));
});

test('writes from another origin are refused before the credential is looked at', () => {
  const post = { method: 'POST', authorization: `Bearer ${TOKEN}` };
  assert.equal(check({ ...post, origin: 'http://127.0.0.1:4717' }).ok, true);
  assert.equal(check({ ...post, secFetchSite: 'same-origin' }).ok, true);
  assert.equal(status(check({ ...post, origin: 'http://evil.example' })), 403);
  assert.equal(status(check({ ...post, origin: 'http://127.0.0.1:8080' })), 403, 'another local port');
  assert.equal(status(check({ ...post, origin: 'null' })), 403);
  assert.equal(status(check({ ...post, secFetchSite: 'cross-site' })), 403);
  assert.equal(status(check({ ...post, secFetchSite: 'same-site' })), 403);
  assert.equal(check({ origin: 'http://evil.example', authorization: `Bearer ${TOKEN}` }).ok, true, 'reads: the token');
});

test('every answer forbids framing and sniffing and sends no referrer', () => {
  assert.match(SECURITY_HEADERS['Content-Security-Policy'], /frame-ancestors 'none'/);
  assert.equal(SECURITY_HEADERS['X-Frame-Options'], 'DENY');
  assert.equal(SECURITY_HEADERS['X-Content-Type-Options'], 'nosniff');
  assert.equal(SECURITY_HEADERS['Referrer-Policy'], 'no-referrer');
  assert.equal(SECURITY_HEADERS['Cross-Origin-Resource-Policy'], 'same-origin');
});
