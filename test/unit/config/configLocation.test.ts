// The config lookup order every command shares: --config, DROPSCRIBE_CONFIG, ./dropscribe.json, the installed
// agent's config, the built-in defaults.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeLocation, locateConfig, type LookupPlaces } from '../../../src/config/configLocation.js';
import { installedConfigFile, servicePlatform } from '../../../src/platform/paths.js';
import { installedPaths } from '../../../src/platform/service/index.js';

const INSTALLED = '/home/u/.config/dropscribe/config.json';

/** Places where only the files in `present` exist. */
function places(present: string[], env: NodeJS.ProcessEnv = {}): LookupPlaces {
  return { cwd: '/work/here', env, installedConfig: INSTALLED, exists: (p) => present.includes(p) };
}

test('each source wins over every later one', () => {
  const all = ['/work/here/dropscribe.json', INSTALLED, '/etc/env.json', '/work/here/flag.json'];
  const env = { DROPSCRIBE_CONFIG: '/etc/env.json' };
  assert.deepEqual(locateConfig('flag.json', places(all, env)), { file: '/work/here/flag.json', source: 'flag' });
  assert.deepEqual(locateConfig(undefined, places(all, env)), { file: '/etc/env.json', source: 'env' });
  assert.deepEqual(locateConfig(undefined, places(all)), { file: '/work/here/dropscribe.json', source: 'local' });
  assert.deepEqual(locateConfig(undefined, places([INSTALLED])), { file: INSTALLED, source: 'installed' });
  assert.deepEqual(locateConfig(undefined, places([])), { file: undefined, source: 'defaults' });
});

test('an empty DROPSCRIBE_CONFIG is unset; a relative one is relative to the current folder', () => {
  assert.equal(locateConfig(undefined, places([INSTALLED], { DROPSCRIBE_CONFIG: '' })).source, 'installed');
  assert.deepEqual(locateConfig(undefined, places([], { DROPSCRIBE_CONFIG: 'conf/d.json' })), {
    file: '/work/here/conf/d.json',
    source: 'env',
  });
});

test('a flag or variable naming a missing file is kept, so loading it fails loudly instead of falling through', () => {
  assert.deepEqual(locateConfig('/nope.json', places([INSTALLED])), { file: '/nope.json', source: 'flag' });
  assert.deepEqual(locateConfig(undefined, places([INSTALLED], { DROPSCRIBE_CONFIG: '/nope.json' })), {
    file: '/nope.json',
    source: 'env',
  });
});

test('descriptions name the file and where it came from, or the built-in defaults', () => {
  assert.equal(describeLocation({ file: INSTALLED, source: 'installed' }), `${INSTALLED} (the installed agent)`);
  assert.match(describeLocation({ file: undefined, source: 'defaults' }), /^built-in defaults/);
});

test('the installed config the lookup expects is the one install writes, on both platforms', () => {
  for (const os of ['darwin', 'linux'] as const) {
    assert.equal(installedConfigFile(os, '/home/u', process.env), installedPaths(os, '/home/u').config);
  }
  assert.equal(
    installedConfigFile('darwin', '/Users/u', {}),
    '/Users/u/Library/Application Support/dropscribe/config.json',
  );
  assert.equal(installedConfigFile('linux', '/home/u', { XDG_CONFIG_HOME: '/x/cfg' }), '/x/cfg/dropscribe/config.json');
  assert.equal(installedConfigFile('linux', '/home/u', {}), '/home/u/.config/dropscribe/config.json');
});

test('DROPSCRIBE_SERVICE picks the service platform whose folders are used', () => {
  assert.equal(servicePlatform({ DROPSCRIBE_SERVICE: 'launchd' }), 'darwin');
  assert.equal(servicePlatform({ DROPSCRIBE_SERVICE: 'systemd' }), 'linux');
  assert.equal(servicePlatform({}), process.platform);
});
