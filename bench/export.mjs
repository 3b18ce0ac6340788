// Export: `dropscribe export --all --format docx --to DIR` over 100 finished jobs of 1-5 minutes each (two named
// speakers, word timings), timed through the real CLI (goal: under 10 s). Also every format at once, for scale.
// JOBS=<n> changes the count; NO_RECORD=1 prints without adding to BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { finishedJobsFixture } from '../dist/test/e2e/exportFixture.js';
import { FORMATS } from '../dist/src/config.js';
import { record, REPO, tempRoot } from './lib.mjs';

const JOBS = Number(process.env.JOBS ?? 100);
const fixture = finishedJobsFixture(JOBS);
const minutes = fixture.ids.reduce((n, id) => n + fixture.jobs.corrections.current(id).durationSec / 60, 0);
fixture.jobs.db.close();

function exportAll(formats) {
  const to = tempRoot('dropscribe-bench-export-');
  const t0 = performance.now();
  execFileSync(process.execPath, [join(REPO, 'bin', 'dropscribe.js'), 'export', '--all', '--format', formats,
    '--to', to, '--config', fixture.configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
  const sec = (performance.now() - t0) / 1000;
  const files = readdirSync(join(to, 'interviews'));
  const bytes = files.reduce((n, f) => n + statSync(join(to, 'interviews', f)).size, 0);
  return { sec, files: files.length, mb: bytes / 1e6 };
}

const docx = exportAll('docx');
const all = exportAll(FORMATS.join(','));
const lines = [
  `- ${JOBS} finished jobs, ${minutes.toFixed(0)} minutes of speech (1-5 min each, 2 named speakers)`,
  `- \`export --all --format docx --to DIR\`: **${docx.sec.toFixed(2)} s** for ${docx.files} files ` +
    `(${docx.mb.toFixed(1)} MB), goal < 10 s (the CLI's start included)`,
  `- every format (${FORMATS.length}): ${all.sec.toFixed(2)} s for ${all.files} files (${all.mb.toFixed(1)} MB)`,
];
if (process.env.NO_RECORD) console.log(lines.join('\n'));
else record('Export: re-render finished jobs', lines.join('\n'), { jobs: JOBS, minutes, docx, all });
