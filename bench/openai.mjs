// Issue 21 side by side: a ~12-minute English recording through the openai backend (PyPI's faster-whisper-server on
// 127.0.0.1 serving the bundled base model, python/.venv-fws) and through the local faster-whisper backend, same
// model, both through the daemon. The server shares this machine's cores here: on a GPU box it would not.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CORPUS, joinClips, readManifest, record, REPO, tempRoot, throughDaemon, treeCpuSec, wer } from './lib.mjs';

const LONG_MIN = Number(process.env.LONG_MIN ?? 12);
const PORT = Number(process.env.PORT ?? 18_921);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 2);
const ENGLISH = ['jfk.flac', 'en_librispeech_1272-128104-0000.wav', 'en_cmu_arctic_a0024.wav', 'en_librivox_shakespeare_sonnet001.mp3'];

async function startServer() {
  const python = join(REPO, 'python', '.venv-fws', 'bin', 'python');
  if (!existsSync(python)) throw new Error('no python/.venv-fws: run node scripts/setup-fws.mjs');
  const model = join(REPO, 'python', '.venv', 'share', 'dropscribe', 'models', 'whisper-base');
  // int8 as the local backend computes (FWS_MODEL_NAME alone would load float32).
  const models = join(work, 'models.yaml');
  writeFileSync(models, `models:\n  - name: base\n    path: ${JSON.stringify(model)}\n    model_options:\n      compute_type: int8\n`);
  const proc = spawn(python, ['-m', 'uvicorn', 'faster_whisper_server.api:app', '--host', '127.0.0.1', '--port', String(PORT), '--log-level', 'warning'], {
    env: { ...process.env, HF_HUB_OFFLINE: '1', FWS_CONFIG_PATH: models }, stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 300; i++) {
    if (await fetch(`http://127.0.0.1:${PORT}/health`).then((r) => r.ok, () => false)) return proc;
    await sleep(200);
  }
  throw new Error('faster-whisper-server did not start');
}

const work = tempRoot();
const recording = join(work, 'long.wav');
const clips = readManifest().filter((c) => ENGLISH.includes(c.file)).map((c) => ({ ...c, path: join(CORPUS, c.file) }));
const used = joinClips(clips, 1, LONG_MIN * 60, recording, work);
const reference = used.map((c) => c.reference).join(' ');
const server = await startServer();
const rows = [];
try {
  for (const side of ['server', 'local']) {
    const load = loadavg()[0];
    const serverCpu = treeCpuSec(server.pid);
    const config = side === 'server'
      ? { job: { backend: 'openai', model: 'base' }, backends: { openai: { url: `http://127.0.0.1:${PORT}/v1`, model: 'base', concurrency: CONCURRENCY, fallback: null } } }
      : { job: { backend: 'faster-whisper', model: 'base' } };
    const r = await throughDaemon([recording], config);
    const job = r.jobs[0];
    const transcribe = job.runs.filter((x) => x.stage === 'transcribe');
    rows.push({
      side, state: job.state, sec: r.sec, daemonCpuSec: r.cpuSec,
      serverCpuSec: side === 'server' && serverCpu !== null ? treeCpuSec(server.pid) - serverCpu : 0,
      windows: transcribe.length, backends: [...new Set(transcribe.map((x) => x.backend))].join(','),
      wer: job.doc ? wer(reference, job.doc.segments.map((s) => s.text).join(' ')) : null,
      degraded: job.doc?.degraded ?? [], loadBefore: load, loadAfter: loadavg()[0],
    });
    console.log(JSON.stringify(rows.at(-1)));
  }
} finally {
  server.kill('SIGTERM');
}
const audioSec = used.reduce((n, c) => n + c.durationSec + 1, 0);
const table = [
  `${(audioSec / 60).toFixed(1)} minutes of English speech (corpus clips joined with 1 s pauses), model base, through the daemon; ` +
    `server: faster-whisper-server 0.0.3 on 127.0.0.1 (same 2 cores, base in int8 like the local backend), backends.openai.concurrency ${CONCURRENCY}.`,
  '',
  '| backend | wall s | x realtime | CPU s daemon+stages | CPU s server | windows (runs) | WER | degraded | load avg before/after |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.side === 'server' ? 'openai (server)' : 'faster-whisper (local)'} | ${r.sec.toFixed(0)} | ${(audioSec / r.sec).toFixed(2)} | ${r.daemonCpuSec?.toFixed(0) ?? '?'} | ${r.serverCpuSec.toFixed(0)} | ${r.windows} | ${r.wer?.toFixed(4) ?? '-'} | ${r.degraded.length ? r.degraded.join('; ') : 'none'} | ${r.loadBefore.toFixed(1)} / ${r.loadAfter.toFixed(1)} |`),
];
record('openai backend: 12 minutes through the server and locally', table.join('\n'), { rows, audioSec });
