// The command line's shape: every command family is registered, in the order help lists them, with its options.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { buildProgram } from '../../../src/cli/main.js';
import { tempDir } from '../../helpers/env.js';

test('every command is registered once, in order; commands that read the config take --config and --data-dir', () => {
  const commands = buildProgram().commands;
  assert.deepEqual(
    commands.map((c) => c.name()),
    [
      'start',
      'status',
      'enqueue',
      'retry',
      'cancel',
      'speakers',
      'export',
      'restore-db',
      'install',
      'uninstall',
      'restart',
      'logs',
      'doctor',
      'setup',
      'open',
      'search',
    ],
  );
  const withConfig = commands.filter((c) => c.options.some((o) => o.long === '--config')).map((c) => c.name());
  assert.deepEqual(withConfig, [
    'start',
    'status',
    'enqueue',
    'retry',
    'cancel',
    'speakers',
    'export',
    'restore-db',
    'doctor',
    'open',
    'search',
  ]);
  for (const c of commands.filter((c) => withConfig.includes(c.name())))
    assert.ok(
      c.options.some((o) => o.long === '--data-dir'),
      c.name(),
    );
  assert.match(
    commands.find((c) => c.name() === 'enqueue')!.description(),
    /exit 0 queued, 3 duplicate, 4 refused, 75 try again later/,
  );
});

test('`status` loads no module it does not use: not intake, the renderers, the logger or the daemon', () => {
  // A fresh node that records every module it loads while the program runs `status` on an empty data folder.
  const dir = tempDir();
  const script = `
    import { registerHooks } from 'node:module';
    const loaded = [];
    registerHooks({ resolve: (s, c, next) => { const r = next(s, c); loaded.push(r.url); return r; } });
    const { main } = await import(${JSON.stringify(new URL('../../../src/cli/main.js', import.meta.url).href)});
    const log = console.log;
    console.log = () => {};
    await main(['node', 'dropscribe', 'status', '--data-dir', ${JSON.stringify(dir)}]);
    console.log = log;
    console.log(JSON.stringify(loaded));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const loaded = JSON.parse(out) as string[];
  assert.ok(
    loaded.some((u) => u.endsWith('/cli/statusView.js')),
    'the status view is loaded',
  );
  const parts = [
    '/src/intake/',
    '/src/output/render/',
    '/src/daemon/daemon.js',
    '/src/pipeline/',
    '/node_modules/pino/',
  ];
  const unneeded = loaded.filter((u) => parts.some((p) => u.includes(p)));
  assert.deepEqual(unneeded, []);
});
