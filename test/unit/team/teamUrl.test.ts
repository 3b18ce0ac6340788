// Team URL sources (flag, env, config, env file only the user can read, Keychain via a fake `security`) and redaction.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEnvFile, redactSecrets, redactUrl, resolveTeamUrl, TeamUrlError } from '../../../src/team/teamUrl.js';
import { tempDir } from '../../helpers/env.js';

const URL_A = 'postgres://team:p%40ss:w0rd@db.example.org:5432/dropscribe?sslmode=require';

test('redactUrl hides the password, keeps user, host, database and TLS options', () => {
  assert.equal(redactUrl(URL_A), 'postgres://team:***@db.example.org:5432/dropscribe?sslmode=require');
  assert.equal(
    redactUrl('postgres://u@h/db?password=hunter2&sslmode=verify-full'),
    'postgres://u@h/db?password=***&sslmode=verify-full',
  );
  assert.equal(redactUrl('postgres://u@h/db'), 'postgres://u@h/db');
});

test('redactSecrets scrubs the password from any text, encoded or not', () => {
  const msg = `connect failed for ${URL_A}; password p@ss:w0rd rejected (p%40ss:w0rd)`;
  const out = redactSecrets(msg, URL_A);
  assert.ok(!out.includes('w0rd'), out);
  assert.match(out, /postgres:\/\/team:\*\*\*@db\.example\.org/);
});

test('precedence: --team, then DROPSCRIBE_TEAM_URL, then team.url; none: team mode off', () => {
  const env = { DROPSCRIBE_TEAM_URL: 'postgres://env@h/db' };
  assert.deepEqual(resolveTeamUrl({ flag: 'postgres://flag@h/db', env, configUrl: 'postgres://cfg@h/db' }), {
    url: 'postgres://flag@h/db',
    source: 'flag',
  });
  assert.deepEqual(resolveTeamUrl({ env, configUrl: 'postgres://cfg@h/db' }), {
    url: 'postgres://env@h/db',
    source: 'env',
  });
  assert.deepEqual(resolveTeamUrl({ env: {}, configUrl: 'postgres://cfg@h/db' }), {
    url: 'postgres://cfg@h/db',
    source: 'config',
  });
  assert.equal(resolveTeamUrl({ env: {} }), undefined);
  assert.throws(
    () => resolveTeamUrl({ env: {}, configUrl: 'mysql://u:secret@h/db' }),
    (e: Error) => e instanceof TeamUrlError && !e.message.includes('secret'),
  );
});

test('env file: read when only the user may read it, refused when the group or others may', () => {
  const dir = tempDir();
  const file = join(dir, 'team.env');
  writeFileSync(file, `# team database\nexport DROPSCRIBE_TEAM_URL="${URL_A}"\n`);
  chmodSync(file, 0o600);
  assert.equal(readEnvFile(file), URL_A);
  assert.deepEqual(resolveTeamUrl({ env: {}, envFile: file }), { url: URL_A, source: 'env-file' });
  for (const mode of [0o640, 0o604, 0o660]) {
    chmodSync(file, mode);
    assert.throws(
      () => readEnvFile(file),
      (e: Error) => e instanceof TeamUrlError && /chmod 600/.test(e.message) && !e.message.includes('w0rd'),
    );
  }
  chmodSync(file, 0o600);
  writeFileSync(file, 'OTHER=1\n');
  assert.throws(() => readEnvFile(file), /no DROPSCRIBE_TEAM_URL/);
  assert.throws(() => readEnvFile(join(dir, 'missing.env')), /cannot read/);
});

test('Keychain: `security find-generic-password -s dropscribe -a team -w` (a fake security first on PATH)', () => {
  const bin = tempDir();
  const log = join(bin, 'args.txt');
  writeFileSync(
    join(bin, 'security'),
    `#!/bin/sh\necho "$@" > "${log}"\n` +
      `[ "$*" = "find-generic-password -s dropscribe -a team -w" ] && echo '${URL_A}' && exit 0\nexit 44\n`,
  );
  chmodSync(join(bin, 'security'), 0o755);
  const env = { PATH: `${bin}:${process.env.PATH}` };
  assert.deepEqual(resolveTeamUrl({ env, keychain: true }), { url: URL_A, source: 'keychain' });
  assert.deepEqual(resolveTeamUrl({ env, flag: 'keychain' }), { url: URL_A, source: 'keychain' });
  writeFileSync(
    join(bin, 'security'),
    '#!/bin/sh\necho "security: SecKeychainSearchCopyNext: The specified item could not be found." >&2\nexit 44\n',
  );
  assert.throws(() => resolveTeamUrl({ env, keychain: true }), /security add-generic-password -s dropscribe -a team/);
});
