// Helpers shared by the benchmark scripts: temp daemons, waiting, timing, and the results file.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('..', import.meta.url));
export const CORPUS = join(REPO, '..', 'shared', 'corpus');
export const PYTHON = join(REPO, 'python', '.venv', 'bin', 'python');
const BIN = join(REPO, 'bin', 'dropscribe.js');

// Word error rate as the tests score it (test/helpers/wer.ts, compiled by the build): one copy of the normalization.
export { normalizeWords, wer } from '../dist/test/helpers/wer.js';
import { DAEMON_NODE_FLAGS } from '../dist/src/platform/nodeFlags.js';

export function tempRoot(prefix = 'dropscribe-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Start a daemon on root/{inbox,outbox,data} with `extra` config; returns {proc, config, stop}. */
export async function startDaemon(root, extra = {}, nodeFlags = DAEMON_NODE_FLAGS) {
  const config = join(root, 'dropscribe.json');
  writeFileSync(config, JSON.stringify({ inboxes: ['inbox'], outbox: 'outbox', dataDir: 'data', ...extra }));
  const proc = spawn(process.execPath, [...nodeFlags, BIN, 'start', '--config', config], { // as the agent runs it
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

/** Rows of a read-only query on a temp daemon's database ([] before the daemon made it). */
export async function query(root, sql) {
  const { default: Database } = await import('better-sqlite3');
  const file = join(root, 'data', 'jobs.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

/** Job states straight from the database (cheaper than spawning the CLI while timing). */
export function jobStates(root) {
  return query(root, 'SELECT id, state FROM jobs ORDER BY id');
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

/** What the daemon passes to faster-whisper with the default config (src/config/config.ts states it once). */
export async function daemonDefaults() {
  const { Config, DEFAULT_SETTINGS } = await import('../dist/src/config.js');
  const { asr, vad, windows } = Config.parse({});
  return { model: DEFAULT_SETTINGS.model, wordTimestamps: DEFAULT_SETTINGS.align !== 'none', asr, vad, windows };
}

/** Which daemon code a run used: the commit, and a hash of the contents of the built JS and the Python stage files. */
export function codeVersion() {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
  const hash = createHash('sha256');
  for (const dir of [join(REPO, 'dist', 'src'), join(REPO, 'python', 'dropscribe_stages')]) {
    for (const name of readdirSync(dir, { recursive: true }).sort()) {
      if (statSync(join(dir, name)).isFile()) hash.update(name).update(readFileSync(join(dir, name)));
    }
  }
  return { commit, files: hash.digest('hex').slice(0, 12) };
}

/**
 * Faster-whisper called directly on files in one fresh process (bench/direct_transcribe.py) with the daemon's
 * default settings and `model`; returns wall seconds and the script's report (phase timings, language, text).
 */
export async function directTranscribe(files, model) {
  const d = await daemonDefaults();
  const args = ['--model', model ?? d.model, '--beam-size', d.asr.beamSize, '--compute-type', d.asr.computeType,
    '--cpu-threads', d.asr.cpuThreads, '--vad-threshold', d.vad.threshold, '--vad-min-silence-ms', d.vad.minSilenceMs,
    '--vad-speech-pad-ms', d.vad.speechPadMs, d.wordTimestamps ? '--word-timestamps' : '--no-word-timestamps'];
  const t = Date.now();
  const out = execFileSync(PYTHON, [join(REPO, 'bench', 'direct_transcribe.py'), ...args.map(String), ...files], {
    env: { ...process.env, HF_HUB_OFFLINE: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20,
  });
  return { sec: (Date.now() - t) / 1000, report: JSON.parse(out) };
}

/** Wall seconds of the direct baseline on files (see directTranscribe). */
export async function direct(files, model) {
  return (await directTranscribe(files, model)).sec;
}

let ffmpegExe;
/** The ffmpeg the stages use (bundled unless a newer system one), asked once from the Python side. */
export function ffmpegPath() {
  ffmpegExe ??= execFileSync(PYTHON, ['-m', 'dropscribe_stages.media.ffmpeg_locator'], {
    cwd: join(REPO, 'python'), env: { ...process.env, PYTHONPATH: join(REPO, 'python') }, encoding: 'utf8',
  }).trim();
  return ffmpegExe;
}

/** Write a short distinct clip: `seconds` of `source` starting at `offset`, 16 kHz mono WAV. */
export function cutClip(source, offset, seconds, target) {
  execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-ss', String(offset), '-t', String(seconds), '-i', source, '-ac', '1', '-ar', '16000', target]);
}

/** The corpus clips: file, durationSec, language and reference transcript from MANIFEST.tsv. */
export function readManifest() {
  const [head, ...lines] = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const cols = head.split('\t');
  return lines.map((line) => {
    const row = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v]));
    return { file: row.file, durationSec: Number(row.duration_s), language: row.language, reference: row.reference_transcript };
  });
}

/**
 * Join `sources` (repeated in order) with `pauseSec` of silence between them into one 16 kHz mono WAV at least
 * `minSec` long; returns the list of sources used, in order.
 */
export function joinClips(sources, pauseSec, minSec, target, workDir) {
  const wavs = sources.map((s, i) => {
    const wav = join(workDir, `part${i}.wav`);
    cutClip(s.path, 0, s.durationSec + 1, wav);
    return wav;
  });
  const silence = join(workDir, 'pause.wav');
  execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(pauseSec), silence]);
  const used = [];
  const list = [];
  for (let total = 0, i = 0; total < minSec; i++) {
    const k = i % sources.length;
    if (list.length) list.push(silence);
    list.push(wavs[k]);
    used.push(sources[k]);
    total += sources[k].durationSec + pauseSec;
  }
  const listFile = join(workDir, 'concat.txt');
  writeFileSync(listFile, list.map((f) => `file '${f}'`).join('\n'));
  execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', listFile, '-c', 'copy', target]);
  return used;
}

let clockTicks;
/** CPU seconds (user + system) used so far by process `pid` and its descendants, reaped ones included; null off Linux. */
export function treeCpuSec(pid) {
  if (!existsSync('/proc/self/stat')) return null;
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  const children = new Map();
  const ticks = new Map();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile: its time is in its parent's cutime/cstime once reaped
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[1] ppid, f[11..14] utime stime cutime cstime
    ticks.set(Number(name), Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]));
    children.set(Number(f[1]), [...(children.get(Number(f[1])) ?? []), Number(name)]);
  }
  let total = 0;
  for (const todo = [pid]; todo.length;) {
    const p = todo.pop();
    total += ticks.get(p) ?? 0;
    todo.push(...(children.get(p) ?? []));
  }
  return total / clockTicks;
}

/**
 * Drop `files` (distinct contents) into the inbox of a fresh daemon with `extra` config and wait until every job
 * finished. Returns drop-to-outputs wall seconds, CPU seconds of the daemon and its stage processes, and per job: row, stage runs, text (.txt) and document (.json),
 * with every time in ms after the drop.
 */
export async function throughDaemon(files, extra = {}) {
  const root = tempRoot();
  const daemon = await startDaemon(root, extra);
  try {
    const cpuBefore = treeCpuSec(daemon.proc.pid);
    const dropped = Date.now();
    for (const f of files) copyFileSync(f, join(root, 'inbox', basename(f)));
    await waitFor(async () => {
      const jobs = await jobStates(root);
      return jobs.length === files.length && jobs.every((j) => ['done', 'failed', 'canceled'].includes(j.state));
    }, 3_600_000);
    const sec = (Date.now() - dropped) / 1000;
    const cpuSec = cpuBefore === null ? null : treeCpuSec(daemon.proc.pid) - cpuBefore;
    const runs = await query(root, 'SELECT stage, backend, model, attempt, outcome, started_at, finished_at, job_id FROM stage_runs ORDER BY id');
    const jobs = (await query(root, 'SELECT * FROM jobs ORDER BY id')).map((j) => ({
      file: basename(j.input), state: j.state, error: j.error,
      createdMs: j.created_at - dropped, startedMs: j.started_at - dropped, finishedMs: j.finished_at - dropped,
      runs: runs.filter((r) => r.job_id === j.id).map((r) => ({ stage: r.stage, backend: r.backend, attempt: r.attempt,
        outcome: r.outcome, startedMs: r.started_at - dropped, finishedMs: r.finished_at - dropped })),
      text: j.state === 'done' ? readFileSync(`${j.output_stem}.txt`, 'utf8') : '',
      doc: j.state === 'done' ? JSON.parse(readFileSync(`${j.output_stem}.json`, 'utf8')) : null,
    }));
    return { sec, cpuSec, jobs };
  } finally {
    await daemon.stop();
    rmSync(root, { recursive: true, force: true });
  }
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

/**
 * For every model, `rounds` rows each measured by `measure.direct(model, row)` and `measure.daemon(model, row)`,
 * alternating which goes first so that both see the same share of the (shared, noisy) machine load;
 * `measure.done(row)` finishes a row once both have filled it in. Returns the rows.
 */
export async function alternateRounds(models, rounds, measure) {
  const rows = [];
  for (const model of models) {
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? ['direct', 'daemon'] : ['daemon', 'direct'];
      const row = { model, round, order: order.join(' then ') };
      for (const who of order) await measure[who](model, row);
      row.ratio = row.daemonSec / row.directSec;
      measure.done?.(row);
      rows.push(row);
    }
  }
  return rows;
}
