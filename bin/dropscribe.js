#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm install builds it into dist/).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('dropscribe: not built yet; run `npm install` (or `npm run build`) in the dropscribe folder');
  process.exit(78);
}
const { main } = await import(cli.href);
await main();
