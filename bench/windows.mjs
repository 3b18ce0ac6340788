// Issue 10 side by side: a ~12-minute English recording joined from the corpus clips through the daemon (windowed
// transcription) and through faster-whisper called directly with the same model and settings, alternating rounds;
// then a 2-hour recording (the 12-minute one repeated) through the daemon: peak RSS of every process.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { alternateRounds, CORPUS, directTranscribe, ffmpegPath, median, query, readManifest, record, startDaemon, tempRoot, waitFor, wer } from './lib.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const MODELS = (process.env.MODELS ?? 'tiny.en,base').split(',').filter(Boolean);
const LONG_MIN = Number(process.env.LONG_MIN ?? 12);
const HOURS_MIN = Number(process.env.HOURS_MIN ?? 120); // 0 skips the 2-hour run
const WINDOWS = JSON.parse(process.env.WINDOWS ?? 'null'); // config override, e.g. {"workers":2}
const TIME_GOAL = 0.8;
const WER_GOAL = 0.01;
const ENGLISH = ['jfk.flac', 'en_librispeech_1272-128104-0000.wav', 'en_cmu_arctic_a0024.wav', 'en_librivox_shakespeare_sonnet001.mp3'];

/** The English clips in turn, 1 s of silence between them and 3 s after each sonnet (a talk's longer pauses). */
function buildRecording(minutes, out, work) {
  const clips = readManifest().filter((c) => ENGLISH.includes(c.file)).sort((a, b) => ENGLISH.indexOf(a.file) - ENGLISH.indexOf(b.file));
  const parts = clips.map((c, i) => {
    const wav = join(work, `clip${i}.wav`);
    execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-i', join(CORPUS, c.file), '-ac', '1', '-ar', '16000', '-c:a', 'pcm_s16le', wav]);
    return wav;
  });
  const pauses = [1, 3].map((sec) => {
    const wav = join(work, `pause${sec}.wav`);
    execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', String(sec), '-c:a', 'pcm_s16le', wav]);
    return wav;
  });
  const list = [];
  const refs = [];
  for (let total = 0, i = 0; total < minutes * 60; i++) {
    const k = i % clips.length;
    list.push(parts[k], k === clips.length - 1 ? pauses[1] : pauses[0]);
    refs.push(clips[k].reference);
    total += clips[k].durationSec + (k === clips.length - 1 ? 3 : 1);
  }
  concat(list, out, work);
  return refs.join(' ');
}

function concat(files, out, work) {
  const listFile = join(work, `concat-${Date.now()}.txt`);
  writeFileSync(listFile, files.map((f) => `file '${f}'`).join('\n'));
  execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', '-f', 'concat', '-safe', '0', '-i', listFile, '-c', 'copy', out]);
}

/** Peak RSS (VmHWM) of `pid` and every descendant seen so far, sampled every 200 ms until stop() is called. */
function watchRss(pid) {
  const peaks = new Map();
  let running = true;
  const sample = () => {
    const children = new Map();
    for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
      } catch { /* gone */ }
    }
    for (const todo = [pid]; todo.length;) {
      const p = todo.pop();
      try {
        const status = readFileSync(`/proc/${p}/status`, 'utf8');
        const hwm = Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0) * 1024;
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').filter(Boolean);
        const stage = cmd.indexOf('dropscribe_stages');
        const name = p === pid ? 'daemon (node)' : stage >= 0 ? cmd.slice(stage).join(' ') : (cmd[0] ?? '').split('/').pop();
        const key = `${name} [${p}]`;
        peaks.set(key, Math.max(peaks.get(key) ?? 0, hwm));
      } catch { /* gone */ }
      todo.push(...(children.get(p) ?? []));
    }
  };
  const loop = (async () => { while (running) { sample(); await sleep(200); } })();
  return { stop: async () => { running = false; await loop; return peaks; } };
}

/** One recording through a fresh daemon with `model`; processing seconds (claimed -> done), text, runs, peaks. */
async function throughDaemon(file, model) {
  const root = tempRoot();
  const daemon = await startDaemon(root, { job: { model }, ...(WINDOWS ? { windows: WINDOWS } : {}), stability: { quietMs: 500, pollMs: 100 } });
  const rss = watchRss(daemon.proc.pid);
  try {
    copyFileSync(file, join(root, 'long.tmp'));
    renameSync(join(root, 'long.tmp'), join(root, 'inbox', 'long.wav'));
    const job = await waitFor(async () => (await query(root, `SELECT * FROM jobs WHERE state IN ('done','failed')`))[0], 6 * 3_600_000, 500);
    const runs = await query(root, 'SELECT stage, unit, backend, attempt, outcome, peak_rss, started_at, finished_at FROM stage_runs ORDER BY id');
    const doc = job.state === 'done' ? JSON.parse(readFileSync(`${job.output_stem}.json`, 'utf8')) : null;
    return { state: job.state, sec: (job.finished_at - job.started_at) / 1000, text: doc ? doc.segments.map((s) => s.text).join(' ') : '',
      degraded: doc?.degraded ?? [], runs, peaks: Object.fromEntries(await rss.stop()) };
  } finally {
    await rss.stop();
    await daemon.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

const work = tempRoot('dropscribe-bench-windows-');
const long = join(work, 'long.wav');
const reference = buildRecording(LONG_MIN, long, work);
console.log(`recording: ${long}`);

const rows = await alternateRounds(MODELS, ROUNDS, {
  direct: async (model, row) => {
    const r = await directTranscribe([long], model);
    Object.assign(row, { directSec: r.sec, directWer: wer(reference, r.report.files[0].text) });
  },
  daemon: async (model, row) => {
    const d = await throughDaemon(long, model);
    Object.assign(row, { daemonSec: d.sec, daemonWer: wer(reference, d.text), daemonState: d.state, degraded: d.degraded,
      windows: d.runs.filter((r) => r.stage === 'transcribe').length, peaks: d.peaks });
  },
  done: (row) => console.log(JSON.stringify({ ...row, peaks: undefined })),
});

let hours = null;
if (HOURS_MIN > 0) {
  const big = join(work, 'hours.wav');
  concat(Array.from({ length: Math.ceil(HOURS_MIN / LONG_MIN) }, () => long), big, work);
  const model = MODELS[0];
  const twelve = rows.filter((r) => r.model === model).at(-1);
  const d = await throughDaemon(big, model);
  const peakOf = (peaks, re) => Math.max(0, ...Object.entries(peaks).filter(([k]) => re.test(k)).map(([, v]) => v));
  const kinds = [['daemon (node)', /^daemon/], ['decode', /stages decode/], ['vad', /stages vad/], ['transcribe', /stages transcribe/], ['ffmpeg', /ffmpeg/]];
  hours = { model, state: d.state, sec: d.sec, degraded: d.degraded, windows: d.runs.filter((r) => r.stage === 'transcribe').length,
    perKind: kinds.map(([name, re]) => ({ name, twelveMb: peakOf(twelve.peaks, re) / 2 ** 20, hoursMb: peakOf(d.peaks, re) / 2 ** 20 })) };
  console.log(JSON.stringify(hours));
}
rmSync(work, { recursive: true, force: true });

const fmt = (x, d = 2) => (x == null ? 'n/a' : x.toFixed(d));
const lines = [
  `A ${LONG_MIN}-minute English recording joined from the corpus clips (1 s pauses, 3 s after each sonnet). Direct: bench/direct_transcribe.py,`,
  'one fresh process, whole file, Silero VAD, beam 5, int8, word timestamps. Daemon: processing time from claim to done',
  `(decode, VAD with the window plan, transcription per window, render), windows ${JSON.stringify(WINDOWS ?? 'default config')}. Rounds alternate.`,
  '',
  '| model | round | order | direct s | daemon s | ratio | direct WER | daemon WER | windows run |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.model} | ${r.round} | ${r.order} | ${fmt(r.directSec, 1)} | ${fmt(r.daemonSec, 1)} | ${fmt(r.ratio)} | ${fmt(r.directWer, 4)} | ${fmt(r.daemonWer, 4)} | ${r.windows} |`),
  '',
  ...MODELS.map((m) => {
    const rs = rows.filter((r) => r.model === m);
    const ratio = median(rs.map((r) => r.ratio));
    const dw = median(rs.map((r) => r.daemonWer - r.directWer));
    return `- ${m}: median ratio daemon/direct **${fmt(ratio)}x** (goal <= ${TIME_GOAL}x), WER difference ${fmt(dw, 4)} (goal within ${WER_GOAL}).`;
  }),
];
if (hours) {
  lines.push('', `${HOURS_MIN}-minute recording (the ${LONG_MIN}-minute one repeated), model ${hours.model}: ${hours.state} in ${fmt(hours.sec, 0)} s, ${hours.windows} window runs.`,
    '', '| process | peak RSS, 12 min (MB) | peak RSS, 2 h (MB) | ratio |', '|---|---|---|---|',
    ...hours.perKind.map((k) => `| ${k.name} | ${fmt(k.twelveMb, 0)} | ${fmt(k.hoursMb, 0)} | ${fmt(k.hoursMb / k.twelveMb)} |`),
    '', 'Goal: every process within 1.3x of the 12-minute run.');
}
record('Long recordings: windows vs a direct call (issue 10)', lines.join('\n'), { rows, hours });
