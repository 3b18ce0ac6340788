// launchd and systemd by contract: the generated plist is parsed and checked; a fake launchctl (and
// systemctl) on PATH records the calls.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'plist';
import { DAEMON_NODE_FLAGS } from '../../src/platform/nodeFlags.js';
import { cli } from '../helpers/daemonProcess.js';
import { fakeServiceEnv } from '../helpers/fakeService.js';

test('install --dry-run prints a valid LaunchAgent plist with absolute paths and sane keys', async () => {
  const { home, env } = fakeServiceEnv('launchd');
  const r = await cli(['install', '--dry-run'], env);
  assert.equal(r.code, 0, r.stderr);
  const p = parse(r.stdout) as Record<string, unknown>;
  assert.equal(p.Label, 'com.dropscribe.agent');
  const args = p.ProgramArguments as string[];
  assert.equal(args[0], process.execPath);
  assert.ok(
    args.every((a) => !a.includes('@')),
    'every placeholder is filled',
  );
  const flags = DAEMON_NODE_FLAGS.length;
  assert.deepEqual(args.slice(1, 1 + flags), DAEMON_NODE_FLAGS);
  assert.ok(args[1 + flags]!.endsWith('/bin/dropscribe.js') && args[1 + flags]!.startsWith('/'));
  assert.deepEqual(args.slice(2 + flags), [
    'start',
    '--config',
    join(home, 'Library', 'Application Support', 'dropscribe', 'config.json'),
  ]);
  assert.match((p.EnvironmentVariables as Record<string, string>).PATH!, /^\/opt\/homebrew\/bin:/);
  assert.deepEqual(p.KeepAlive, { SuccessfulExit: false, Crashed: true });
  assert.equal(p.RunAtLoad, true);
  assert.ok((p.ThrottleInterval as number) >= 10);
  assert.ok((p.ExitTimeOut as number) > 15, "longer than the daemon's own forced stop");
  assert.notEqual(p.ProcessType, 'Background');
  assert.equal(p.StandardOutPath, join(home, 'Library', 'Logs', 'dropscribe', 'dropscribe.log'));
  assert.equal(existsSync(join(home, 'Library', 'LaunchAgents')), false, 'dry run changes nothing');
});

test('install, install again, restart, uninstall: the right launchctl calls, idempotent', async () => {
  const { home, env } = fakeServiceEnv('launchd');
  const uid = process.getuid!();
  const plistPath = join(home, 'Library', 'LaunchAgents', 'com.dropscribe.agent.plist');
  const first = await cli(['install', '--inbox', join(home, 'in'), '--outbox', join(home, 'out')], env);
  assert.equal(first.code, 0, first.stderr);
  assert.ok(existsSync(plistPath));
  const config = JSON.parse(
    readFileSync(join(home, 'Library', 'Application Support', 'dropscribe', 'config.json'), 'utf8'),
  );
  assert.deepEqual([config.inboxes, config.outbox], [[join(home, 'in')], join(home, 'out')]);
  assert.equal(config.dataDir, join(home, 'Library', 'Application Support', 'dropscribe'));
  const again = await cli(['install'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    JSON.parse(readFileSync(join(home, 'Library', 'Application Support', 'dropscribe', 'config.json'), 'utf8')).inboxes,
    [join(home, 'in')],
    'a second install keeps the config',
  );
  assert.equal((await cli(['restart'], env)).code, 0);
  assert.equal((await cli(['uninstall'], env)).code, 0);
  assert.equal(existsSync(plistPath), false);
  const calls = readFileSync(env.FAKE_LAUNCHCTL_LOG, 'utf8').trim().split('\n');
  const label = `gui/${uid}/com.dropscribe.agent`;
  assert.deepEqual(calls, [
    `print ${label}`,
    `enable ${label}`,
    `bootstrap gui/${uid} ${plistPath}`,
    `print ${label}`,
    `bootout ${label}`,
    `enable ${label}`,
    `bootstrap gui/${uid} ${plistPath}`,
    `kickstart -k ${label}`,
    `print ${label}`,
    `bootout ${label}`,
  ]);
  const second = await cli(['uninstall'], env);
  assert.match(second.stdout, /nothing to do/);
});

test('a failing launchctl is reported in one clear line', async () => {
  const { env } = fakeServiceEnv('launchd');
  const r = await cli(['restart'], env);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^dropscribe: launchctl kickstart -k .* failed \(exit 113\): Could not find service/);
  assert.ok(!r.stderr.includes('    at '), 'no stack trace');
});

test('on Linux the same commands manage a systemd user unit', async () => {
  const { home, env } = fakeServiceEnv('systemd');
  const dry = await cli(['install', '--dry-run'], env);
  assert.match(
    dry.stdout,
    new RegExp(
      `ExecStart=".*node.*" ${DAEMON_NODE_FLAGS.join(' ')} ".*bin/dropscribe.js" start --config ".*\\.config/dropscribe/config.json"`,
    ),
  );
  assert.match(dry.stdout, /Restart=on-failure/);
  assert.equal((await cli(['install'], env)).code, 0);
  assert.ok(existsSync(join(home, '.config', 'systemd', 'user', 'dropscribe.service')));
  assert.equal((await cli(['uninstall'], env)).code, 0);
  assert.deepEqual(readFileSync(env.FAKE_SYSTEMCTL_LOG, 'utf8').trim().split('\n'), [
    '--user daemon-reload',
    '--user enable dropscribe.service',
    '--user restart dropscribe.service',
    '--user disable --now dropscribe.service',
    '--user daemon-reload',
  ]);
});
