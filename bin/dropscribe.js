#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds it into dist/).
import { existsSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('dropscribe: not built yet; run `npm install` (or `npm run build`) in the dropscribe folder');
  process.exit(78);
}
// The daemon runs with its node flags however it is started (this bin, npx, a clone's `node bin/dropscribe.js`): a
// `start` without them replaces this process with one that has them, same pid (platform/nodeFlags.ts), before
// anything else is loaded.
const daemon = process.argv[2] === 'start';
if (daemon) {
  const { restartWithDaemonFlags } = await import(new URL('../dist/src/platform/nodeFlags.js', import.meta.url).href);
  restartWithDaemonFlags();
}
// Node keeps the compiled code of our modules in the user's cache folder, so a command (`status` above all) does not
// compile them again at every start (about a third of its time; BENCHMARKS.md, Flood). A cache that cannot be
// written costs nothing but that time. Not for the daemon: it compiles once and stays, and with the cache it idled
// about 4 MB higher (bench/idleRss.mjs).
const cache =
  process.env.NODE_COMPILE_CACHE ??
  (process.platform === 'darwin'
    ? join(homedir(), 'Library', 'Caches', 'dropscribe', 'node-compile-cache')
    : join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dropscribe', 'node-compile-cache'));
try {
  if (!daemon) enableCompileCache?.(cache);
} catch {
  /* an old node or an unwritable folder: start without the cache */
}
const { main } = await import(cli.href);
await main();
