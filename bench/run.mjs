// npm run bench: every benchmark in turn; results are appended to BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

for (const name of ['overhead', 'manyfiles', 'ingest', 'idle', 'ui', 'languages', 'windows']) {
  console.log(`\n=== ${name} ===`);
  execFileSync(process.execPath, [fileURLToPath(new URL(`./${name}.mjs`, import.meta.url))], { stdio: 'inherit' });
}
