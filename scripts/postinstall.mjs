#!/usr/bin/env node
// npm install step: in a git clone, build the TypeScript (a published package ships dist/ instead); then the Python stage environment.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'bin', 'dropscribe.js');
const built = existsSync(join(root, 'dist', 'src', 'cli', 'main.js'));
const npm = process.env.npm_execpath;

if (existsSync(join(root, '.git'))) {
  // A contributor's clone: build what it runs (npm run build also builds the tests).
  execFileSync(npm ? process.execPath : 'npm', npm ? [npm, 'run', 'build'] : ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
} else if (!built) {
  console.error(
    'dropscribe: this copy has no dist/ (the compiled program): install a packed release (npm pack) or a clone',
  );
  process.exit(1);
}

if (process.env.DROPSCRIBE_SKIP_PYTHON === '1') {
  console.log('dropscribe: DROPSCRIBE_SKIP_PYTHON=1, leaving the Python environment alone');
  process.exit(0);
}
try {
  execFileSync(process.execPath, [cli, 'setup'], { cwd: root, stdio: 'inherit' });
} catch {
  console.error(
    'dropscribe: the Python environment could not be built now; `dropscribe setup` (or `dropscribe start`) builds it',
  );
  process.exit(1);
}
