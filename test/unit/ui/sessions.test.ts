// Sign-in codes and page sessions: a code minted for `dropscribe open` works once within 60 s and becomes a
// session; a session ends after 12 hours unused; both are random and kept in memory only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_TTL_MS, SESSION_IDLE_MS, UiSessions } from '../../../src/ui/sessions.js';

test('a code is random, works once and only within 60 s', () => {
  let now = 1_000;
  const s = new UiSessions(() => now);
  const code = s.mintCode();
  assert.match(code, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(s.mintCode(), code);
  const session = s.redeem(code);
  assert.ok(session, 'the first use gives a session');
  assert.match(session, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(session, code);
  assert.equal(s.redeem(code), undefined, 'the second use gives nothing');
  assert.equal(s.isSession(code), false, 'a code is not a session');

  assert.equal(CODE_TTL_MS, 60_000);
  const late = s.mintCode();
  now += CODE_TTL_MS + 1;
  assert.equal(s.redeem(late), undefined, 'expired');
  for (const bad of ['', 'x', session, 'A'.repeat(43)]) assert.equal(s.redeem(bad), undefined, bad);
});

test('a session lasts while it is used and ends 12 hours after its last use', () => {
  let now = 0;
  const s = new UiSessions(() => now);
  const session = s.redeem(s.mintCode())!;
  assert.equal(s.isSession(session), true);
  now += SESSION_IDLE_MS - 1;
  assert.equal(s.isSession(session), true, 'used: the 12 hours start again');
  now += SESSION_IDLE_MS - 1;
  assert.equal(s.isSession(session), true);
  now += SESSION_IDLE_MS + 1;
  assert.equal(s.isSession(session), false);
  assert.equal(s.isSession(''), false);
  assert.equal(new UiSessions().isSession(session), false, 'another daemon (a restart) knows no session');
});

test('codes and sessions are bounded: the oldest go first', () => {
  const s = new UiSessions();
  const codes = Array.from({ length: 200 }, () => s.mintCode());
  assert.equal(s.redeem(codes[0]!), undefined, 'the oldest code was dropped');
  const sessions = codes.slice(100).map((c) => s.redeem(c));
  assert.ok(sessions.every(Boolean), 'the newest codes still work');
  assert.equal(s.isSession(sessions.at(-1)!), true);
});
