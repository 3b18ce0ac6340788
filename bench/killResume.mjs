// Issue 19 point 6: a 12-minute recording through the daemon (default windows: 2 at once), clean, then killed -9 when
// 30%, 60% and 90% of its speech is committed (segments.ndjson of the windows) and restarted at once: killed time plus
// restart against the clean run, what was committed at the kill, and the WER against the reference and the clean text.
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS, joinClips, readManifest, record, startDaemon, tempRoot, waitFor, wer, jobStates } from './lib.mjs';

const MODEL = process.env.MODEL ?? 'base';
const MINUTES = Number(process.env.LONG_MIN ?? 12);
const POINTS = (process.env.POINTS ?? '0.3,0.6,0.9').split(',').map(Number);
const ENGLISH = ['jfk.flac', 'en_librispeech_1272-128104-0000.wav', 'en_cmu_arctic_a0024.wav', 'en_librivox_shakespeare_sonnet001.mp3'];

const work = tempRoot();
const recording = join(work, 'long.wav');
const clips = readManifest().filter((c) => ENGLISH.includes(c.file)).map((c) => ({ ...c, path: join(CORPUS, c.file) }));
const reference = joinClips(clips, 1, MINUTES * 60, recording, work).map((c) => c.reference).join(' ');
const config = { job: { model: MODEL } };

const done = async (root) => (await jobStates(root)).some((j) => j.state === 'done');
const text = (root) => JSON.parse(readFileSync(join(root, 'outbox', 'long.json'), 'utf8')).segments.map((s) => s.text).join(' ');

/** Each window's range, its last committed segment end, and whether it is done. */
function windows(root) {
  const base = join(root, 'data', 'work');
  if (!existsSync(base)) return [];
  return readdirSync(base).flatMap((job) => {
    const dir = join(base, job, 'transcribe');
    const vad = join(base, job, 'vad', 'done.json');
    if (!existsSync(dir) || !existsSync(vad)) return [];
    const planned = JSON.parse(readFileSync(vad, 'utf8')).artifacts.windows ?? [];
    return readdirSync(dir).filter((u) => /^w\d+$/.test(u)).map((unit) => {
      const { start, end } = planned[Number(unit.slice(1))];
      const file = join(dir, unit, 'segments.ndjson');
      const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(1, -1) : [];
      const doneFile = join(dir, unit, 'done.json');
      const artifacts = existsSync(doneFile) ? JSON.parse(readFileSync(doneFile, 'utf8')).artifacts : null;
      return { unit, start, end, committed: lines.length ? JSON.parse(lines.at(-1)).end : null, done: !!artifacts };
    });
  });
}

/** The share of the recording's windows committed so far (recording time). */
function committedShare(root) {
  const ws = windows(root);
  const total = ws.reduce((n, w) => n + w.end - w.start, 0);
  return total ? ws.reduce((n, w) => n + (w.done ? w.end - w.start : Math.max(0, (w.committed ?? w.start) - w.start)), 0) / total : 0;
}

async function run(killAt) {
  const root = tempRoot();
  let daemon = await startDaemon(root, config);
  const t0 = Date.now();
  copyFileSync(recording, join(root, 'inbox', 'long.wav'));
  let killedMs = 0;
  let atKill = null;
  if (killAt !== undefined) {
    await waitFor(async () => committedShare(root) >= killAt || (await done(root)), 3_600_000, 20);
    daemon.proc.kill('SIGKILL');
    await new Promise((resolve) => daemon.proc.once('exit', resolve));
    killedMs = Date.now() - t0;
    atKill = windows(root);
    daemon = await startDaemon(root, config);
  }
  const t1 = Date.now();
  await waitFor(() => done(root), 3_600_000, 100);
  const restartMs = Date.now() - t1;
  await daemon.stop();
  return { root, killedMs, restartMs, totalMs: killedMs + restartMs, atKill, text: text(root) };
}

const clean = await run();
const rows = [];
for (const p of POINTS) {
  const r = await run(p);
  const redone = r.atKill.map((k) =>
    k.done ? `${k.unit} done` : `${k.unit} (${k.start.toFixed(0)}-${k.end.toFixed(0)} s) committed to ${k.committed?.toFixed(1) ?? 'nothing'} s`,
  );
  rows.push({ p, ...r, ratio: r.totalMs / clean.totalMs, redone, wer: wer(reference, r.text), werClean: wer(clean.text, r.text) });
}
const s = (ms) => (ms / 1000).toFixed(1);
record(`Kill -9 during a ${MINUTES}-minute recording: segment-level resume (model ${MODEL})`, [
  `Clean run: ${s(clean.totalMs)} s drop to outputs, WER ${wer(reference, clean.text).toFixed(4)}. Each killed run: kill -9 of the daemon once p of the windows' recording time is committed, restarted at once (the restart continues each window after its last committed segment).`,
  '',
  '| kill at | killed after s | restart to outputs s | total / clean | WER vs reference | WER vs clean text | windows at the kill |',
  '|---|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${Math.round(r.p * 100)}% | ${s(r.killedMs)} | ${s(r.restartMs)} | **${r.ratio.toFixed(2)}x** | ${r.wer.toFixed(4)} | ${r.werClean.toFixed(4)} | ${r.redone.join('; ')} |`),
].join('\n'), { clean: { totalMs: clean.totalMs }, rows: rows.map(({ root, text, ...r }) => r) });
