// No log line holds a password: one in a URL, and any value handed to hideInLogs, is written as ***.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger, hideInLogs, redactLogLine } from '../../../src/platform/log.js';

test('the password of any URL and every hidden value are written as ***', () => {
  assert.equal(
    redactLogLine('{"err":"connect postgres://team:s3cr%40t@db:5432/x failed"}'),
    '{"err":"connect postgres://team:***@db:5432/x failed"}',
  );
  assert.equal(redactLogLine('see https://example.org/a:b@c'), 'see https://example.org/a:b@c', 'a path, not userinfo');
  hideInLogs('pa"ss-word-42');
  assert.equal(redactLogLine(JSON.stringify({ msg: 'auth with pa"ss-word-42' })), '{"msg":"auth with ***"}');
});

test('createLogger writes its lines through the redaction', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (s: string) => void lines.push(s) });
  hideInLogs('hunter2-secret');
  log.info({ url: 'postgres://u:pw@h/db', note: 'hunter2-secret' }, 'connecting');
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes('pw@') && !lines[0]!.includes('hunter2-secret'), lines[0]);
  assert.match(lines[0]!, /postgres:\/\/u:\*\*\*@h\/db/);
});
