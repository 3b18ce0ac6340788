// Helpers shared by the benchmark scripts: temp daemons, waiting, timing, and the results file.
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS = join(REPO, '..', 'shared', 'corpus');
export const PYTHON = join(REPO, 'python', '.venv', 'bin', 'python');
const BIN = join(REPO, 'bin', 'dropscribe.js');

export function tempRoot(prefix = 'dropscribe-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Start a daemon on root/{inbox,outbox,data} with `extra` config; returns {proc, config, stop}. */
export async function startDaemon(root, extra = {}) {
  const config = join(root, 'dropscribe.json');
  writeFileSync(config, JSON.stringify({ inboxes: ['inbox'], outbox: 'outbox', dataDir: 'data', ...extra }));
  const proc = spawn(process.execPath, ['--max-semi-space-size=2', BIN, 'start', '--config', config], { // as the agent runs it
    env: { ...process.env, HF_HUB_OFFLINE: '1', DROPSCRIBE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(() => existsSync(join(root, 'data', 'status.json')), 30_000);
  return {
    proc, config,
    stop: () => new Promise((resolve) => { proc.once('exit', resolve); proc.kill('SIGTERM'); }),
  };
}

export async function waitFor(check, timeoutMs = 600_000, everyMs = 50) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const v = await check();
    if (v) return v;
    await sleep(everyMs);
  }
  throw new Error('benchmark timed out');
}

/** Job states straight from the database (cheaper than spawning the CLI while timing). */
export async function jobStates(root) {
  const { default: Database } = await import('better-sqlite3');
  const file = join(root, 'data', 'jobs.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, state FROM jobs ORDER BY id').all();
  } finally {
    db.close();
  }
}

export function status(config) {
  return JSON.parse(execFileSync(process.execPath, [BIN, 'status', '--json', '--limit', '100000', '--config', config], { encoding: 'utf8' }));
}

export function retry(config, jobId) {
  execFileSync(process.execPath, [BIN, 'retry', String(jobId), '--config', config], { stdio: 'ignore' });
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Run the direct faster-whisper baseline on files in one fresh process; returns wall seconds. */
export function direct(files) {
  const t = Date.now();
  execFileSync(PYTHON, [join(REPO, 'bench', 'direct_transcribe.py'), ...files], { env: { ...process.env, HF_HUB_OFFLINE: '1' }, stdio: 'ignore' });
  return (Date.now() - t) / 1000;
}

let ffmpegExe;
/** The ffmpeg the stages use (bundled unless a newer system one), asked once from the Python side. */
export function ffmpegPath() {
  ffmpegExe ??= execFileSync(PYTHON, ['-m', 'dropscribe_stages.ffmpeg_locator'], {
    cwd: join(REPO, 'python'), env: { ...process.env, PYTHONPATH: join(REPO, 'python') }, encoding: 'utf8',
  }).trim();
  return ffmpegExe;
}

/** Write a short distinct clip: `seconds` of `source` starting at `offset`, 16 kHz mono WAV. */
export function cutClip(source, offset, seconds, target) {
  execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-ss', String(offset), '-t', String(seconds), '-i', source, '-ac', '1', '-ar', '16000', target]);
}

/** Append a section to BENCHMARKS.md (results/ keeps the raw JSON). */
export function record(name, markdown, raw) {
  mkdirSync(join(REPO, 'bench', 'results'), { recursive: true });
  writeFileSync(join(REPO, 'bench', 'results', `${name}.json`), JSON.stringify(raw, null, 2));
  const file = join(REPO, 'BENCHMARKS.md');
  const header = existsSync(file) ? '' : '# Benchmarks\n\nMeasured by `npm run bench` (bench/). Not timed tests.\n';
  appendFileSync(file, `${header}\n## ${name} (${new Date().toISOString().slice(0, 16)}Z, ${process.platform}, ${cpuInfo()})\n\n${markdown}\n`);
  console.log(markdown);
}

function cpuInfo() {
  try {
    const n = readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length;
    return `${n} cores`;
  } catch {
    return 'unknown cpu';
  }
}
