// The daemon's node flags are stated once: `npm start` runs with exactly DAEMON_NODE_FLAGS.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DAEMON_NODE_FLAGS } from '../../../src/platform/nodeFlags.js';
import { PACKAGE_ROOT } from '../../../src/platform/paths.js';

test('npm start runs the daemon with DAEMON_NODE_FLAGS', () => {
  const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  assert.equal(pkg.scripts.start, `node ${DAEMON_NODE_FLAGS.join(' ')} bin/dropscribe.js start`);
});
