// A secret option leaves the command line: the process starts again (same pid) without it, the value in the
// environment.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { withoutOption } from '../../../src/platform/secretArgv.js';
import { REPO, tempDir } from '../../helpers/env.js';

test('withoutOption drops --name value and --name=value, nothing else', () => {
  assert.deepEqual(withoutOption(['start', '--team', 'postgres://u:p@h/db', '--config', 'c.json'], '--team'), [
    'start',
    '--config',
    'c.json',
  ]);
  assert.deepEqual(withoutOption(['start', '--team=postgres://u:p@h/db', '--teams', 'x'], '--team'), [
    'start',
    '--teams',
    'x',
  ]);
});

test('restartWithoutOption: the same pid runs again without the option; the value is in the environment', (t) => {
  if (typeof (process as { execve?: unknown }).execve !== 'function') return t.skip('this Node has no process.execve');
  const script = join(tempDir(), 'restart.mjs');
  const module = pathToFileURL(join(REPO, 'dist', 'src', 'platform', 'secretArgv.js')).href;
  writeFileSync(
    script,
    `import { readFileSync } from 'node:fs';
import { restartWithoutOption } from ${JSON.stringify(module)};
if (process.env.SECRET_URL === undefined) {
  process.stderr.write(String(process.pid) + '\\n');
  restartWithoutOption('--secret', 'SECRET_URL', process.argv[process.argv.indexOf('--secret') + 1]);
  process.exit(9);
}
const cmdline = process.platform === 'linux' ? readFileSync('/proc/self/cmdline', 'utf8').split('\\0').join(' ') : '';
console.log(JSON.stringify({ pid: process.pid, argv: process.argv.slice(2), env: process.env.SECRET_URL, cmdline }));
`,
  );
  const out = execFileSync(process.execPath, [script, 'start', '--secret', 'pw-1234', '--keep'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const r = JSON.parse(out) as { pid: number; argv: string[]; env: string; cmdline: string };
  assert.deepEqual(r.argv, ['start', '--keep']);
  assert.equal(r.env, 'pw-1234');
  assert.ok(!r.cmdline.includes('pw-1234'), r.cmdline);
});
