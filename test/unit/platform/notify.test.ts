import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appleScriptString } from '../../../src/platform/notify.js';

test('file names cannot break out of the AppleScript string of a notification', () => {
  assert.equal(appleScriptString('a "quoted" \\ name\nwith newline'), '"a \\"quoted\\" \\\\ name with newline"');
  const evil = '" & do shell script "touch /tmp/pwned" & "';
  const quoted = appleScriptString(evil);
  assert.ok(quoted.startsWith('"') && quoted.endsWith('"'));
  assert.equal(
    quoted
      .slice(1, -1)
      .replace(/\\\\/g, '')
      .match(/(?<!\\)"/g),
    null,
    'every inner quote is escaped',
  );
});
