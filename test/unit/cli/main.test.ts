// The command line's shape: every command family is registered, in the order help lists them, with its options.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram } from '../../../src/cli/main.js';

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
