// Team mode is on when a team URL is configured anywhere, told without loading team mode's modules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TEAM, teamConfigured } from '../../../src/config/teamSettings.js';

test('teamConfigured: a flag, DROPSCRIBE_TEAM_URL, a url, an env file or the Keychain; nothing otherwise', () => {
  assert.equal(teamConfigured(DEFAULT_TEAM, undefined, {}), false);
  assert.equal(teamConfigured(DEFAULT_TEAM, 'postgres://h/db', {}), true);
  assert.equal(teamConfigured(DEFAULT_TEAM, undefined, { DROPSCRIBE_TEAM_URL: 'postgres://h/db' }), true);
  assert.equal(teamConfigured({ ...DEFAULT_TEAM, url: 'postgres://h/db' }, undefined, {}), true);
  assert.equal(teamConfigured({ ...DEFAULT_TEAM, envFile: '/x/team.env' }, undefined, {}), true);
  assert.equal(teamConfigured({ ...DEFAULT_TEAM, keychain: true }, undefined, {}), true);
});
