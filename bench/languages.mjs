// Issue 8 side by side: the corpus and a ~12-minute joined recording through the daemon (default config) and through
// faster-whisper called directly with the same model and settings; language, WER and drop-to-outputs time.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  alternateRounds, CORPUS, codeVersion, daemonDefaults, directTranscribe, joinClips, median, readManifest, record, tempRoot, throughDaemon, wer,
} from './lib.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const LONG_MODELS = (process.env.LONG_MODELS ?? 'base,tiny.en').split(',').filter(Boolean);
const LONG_SEC = Number(process.env.LONG_SEC ?? 12 * 60);
const PAUSE_SEC = 1;
const WER_GOAL = 0.01;
const TIME_GOAL = 1.05;

const defaults = await daemonDefaults();
const codeAtStart = codeVersion();
const clips = readManifest().map((c) => ({ ...c, path: join(CORPUS, c.file) }));

// 1. Every corpus clip: direct (one process, the default model) then the daemon (default config, all dropped at once).
console.log(`corpus: ${clips.length} clips, model ${defaults.model}`);
const direct = await directTranscribe(clips.map((c) => c.path));
const daemon = await throughDaemon(clips.map((c) => c.path));
const perClip = clips.map((c, i) => {
  const d = direct.report.files[i];
  const j = daemon.jobs.find((x) => x.file === c.file);
  const row = {
    clip: c.file, language: c.language,
    directLanguage: d.language, directLanguageProbability: d.languageProbability, directText: d.text,
    daemonLanguage: j.doc?.language ?? null, daemonLanguageProbability: j.doc?.languageProbability ?? null,
    daemonText: j.text.trim(), daemonState: j.state,
    directWer: wer(c.reference, d.text), daemonWer: wer(c.reference, j.text),
  };
  row.diff = row.daemonWer - row.directWer;
  return row;
});
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const directMean = mean(perClip.map((r) => r.directWer));
const daemonMean = mean(perClip.map((r) => r.daemonWer));

// 2. A long recording joined from the corpus clips, timed drop-to-outputs vs a fresh direct process, alternating.
const work = tempRoot('dropscribe-bench-long-');
const parts = join(work, 'parts');
mkdirSync(parts);
const longFile = join(work, 'joined.wav');
const used = joinClips(clips, PAUSE_SEC, LONG_SEC, longFile, parts);
const longSec = used.reduce((a, c) => a + c.durationSec + PAUSE_SEC, -PAUSE_SEC);
const longReference = used.map((c) => c.reference).join(' ');
console.log(`long recording: ${(longSec / 60).toFixed(1)} min from ${used.length} clips`);

const long = await alternateRounds(LONG_MODELS, ROUNDS, {
  direct: async (model, run) => {
    const r = await directTranscribe([longFile], model);
    const f = r.report.files[0];
    Object.assign(run, { directSec: r.sec, directCpuSec: r.report.cpuSec, directPhases: { startAndImportSec: r.sec - r.report.totalSec + r.report.importSec,
      loadSec: r.report.loadSec, decodeSec: f.decodeSec, transcribeSec: f.transcribeSec },
    directLanguage: f.language, directWer: wer(longReference, f.text), directText: f.text });
  },
  daemon: async (model, run) => {
    run.daemonCode = codeVersion();
    const r = await throughDaemon([longFile], model === defaults.model ? {} : { job: { model } });
    const j = r.jobs[0];
    Object.assign(run, { daemonSec: r.sec, daemonCpuSec: r.cpuSec, daemonState: j.state, daemonPhases: phases(j, r.sec),
      daemonLanguage: j.doc?.language, daemonWer: wer(longReference, j.text), daemonText: j.text });
  },
  done: (run) => {
    run.sameText = run.daemonText.replace(/\s+/g, ' ').trim() === run.directText.replace(/\s+/g, ' ').trim();
    const { directText, daemonText, ...brief } = run;
    console.log(JSON.stringify(brief));
  },
});
rmSync(work, { recursive: true, force: true });

/** Where the daemon's drop-to-outputs time went, in seconds, from the job row and its stage runs. */
function phases(job, totalSec) {
  const stage = (name) => job.runs.filter((r) => r.stage === name);
  const spent = (name) => stage(name).reduce((a, r) => a + (r.finishedMs - r.startedMs), 0) / 1000;
  // Windows of a long recording may run at the same time: the transcribe phase is their span, not their sum.
  const span = (runs) => (Math.max(...runs.map((r) => r.finishedMs)) - Math.min(...runs.map((r) => r.startedMs))) / 1000;
  const lastStageEnd = Math.max(...job.runs.map((r) => r.finishedMs));
  const stagesSpan = span(job.runs);
  return {
    untilJobSec: job.createdMs / 1000, // stability window and intake (hashing)
    queuedSec: (job.startedMs - job.createdMs) / 1000,
    decodeSec: spent('decode'), vadSec: spent('vad'), transcribeSec: span(stage('transcribe')),
    transcribeRuns: stage('transcribe').length, transcribeRunsSec: spent('transcribe'),
    betweenStagesSec: stagesSpan - spent('decode') - spent('vad') - span(stage('transcribe')),
    beforeFirstStageSec: (Math.min(...job.runs.map((r) => r.startedMs)) - job.startedMs) / 1000,
    renderAndPublishSec: (job.finishedMs - lastStageEnd) / 1000,
    noticedAfterSec: totalSec - job.finishedMs / 1000, // the benchmark's polling of the database
    attempts: job.runs.length,
  };
}

const f2 = (x) => (x == null ? '-' : x.toFixed(2));
const f3 = (x) => x.toFixed(3);
const summary = LONG_MODELS.map((model) => {
  const runs = long.filter((r) => r.model === model);
  const d = median(runs.map((r) => r.directSec));
  const x = median(runs.map((r) => r.daemonSec));
  return { model, directMedianSec: d, daemonMedianSec: x, ratio: x / d, pairedRatioMedian: median(runs.map((r) => r.ratio)),
    cpuRatio: median(runs.map((r) => r.daemonCpuSec / r.directCpuSec)) };
});
const a = defaults;
record('Languages: daemon vs faster-whisper called directly (issue 8)', [
  `Settings, both sides (the daemon's defaults from src/config/config.ts, passed to bench/direct_transcribe.py): model **${a.model}** ` +
    `(bundled, resolved by dropscribe_stages.weights.models.bundled_models) unless said, device cpu, compute_type ${a.asr.computeType}, ` +
    `cpu_threads ${a.asr.cpuThreads}, beam_size ${a.asr.beamSize}, word_timestamps ${a.wordTimestamps}, condition_on_previous_text False, ` +
    `language detected, task transcribe, Silero VAD threshold ${a.vad.threshold}, min_silence_duration_ms ${a.vad.minSilenceMs}, ` +
    `speech_pad_ms ${a.vad.speechPadMs} (direct: faster-whisper's vad_filter with the same VadOptions). ` +
    'The daemon runs with its default config (2 s stability window, 2 jobs at a time, warm workers) on temp folders; files are copied into its inbox. ' +
    `Its default windows (config \`windows\`): a recording with more than ${a.windows.minSpeechSec} s of speech is transcribed in windows of ` +
    `${a.windows.minSpeechSec}-${a.windows.maxSpeechSec} s of speech cut at the longest pauses, ${a.windows.workers} at a time (threads split between them), ` +
    `prompt ${a.windows.prompt}; the direct call is one plain transcribe() of the whole file. ` +
    `Daemon code: commit ${codeAtStart.commit} plus the working tree (other engineers edit it); built-files fingerprint ${codeAtStart.files} at the start, ` +
    `${long.every((r) => r.daemonCode.files === codeAtStart.files) ? 'unchanged for every long run' : `CHANGED during the run (per run: ${long.map((r) => r.daemonCode.files).join(', ')})`}.`,
  '',
  `### Corpus (${clips.length} clips, WER with the normalization of test/helpers/wer.ts)`,
  '',
  '| clip | language | direct: language (p) | daemon: language (p) | direct WER | daemon WER | daemon - direct |',
  '|---|---|---|---|---|---|---|',
  ...perClip.map((r) => `| ${r.clip} | ${r.language} | ${r.directLanguage} (${f2(r.directLanguageProbability)}) | ` +
    `${r.daemonLanguage ?? r.daemonState} (${f2(r.daemonLanguageProbability)}) | ${f3(r.directWer)} | ${f3(r.daemonWer)} | ${f3(r.diff)} |`),
  `| **mean** | | | | **${f3(directMean)}** | **${f3(daemonMean)}** | **${f3(daemonMean - directMean)}** |`,
  '',
  `Mean WER difference daemon - direct: **${f3(daemonMean - directMean)}** (goal <= ${WER_GOAL}: ` +
    `${Math.abs(daemonMean - directMean) <= WER_GOAL ? 'met' : 'NOT met'}). Languages matching MANIFEST.tsv: direct ` +
    `${perClip.filter((r) => r.directLanguage === r.language).length}/${clips.length}, daemon ${perClip.filter((r) => r.daemonLanguage === r.language).length}/${clips.length}.`,
  '',
  `### Long recording (${(longSec / 60).toFixed(1)} min: the ${clips.length} clips repeated in order, ${used.length} pieces, ${PAUSE_SEC} s pauses, 16 kHz mono WAV)`,
  '',
  'Direct: a fresh Python process (start, imports, model load, decode, VAD, transcribe). Daemon: from the copy into the inbox to the job ' +
    'done with its outputs published (a fresh daemon per run, started and idle before the drop). Other engineers ran tests on the same 2 cores ' +
    'meanwhile, so timings are noisy; the two sides alternate (the order flips each round) so that both see the same load. ' +
    'CPU s: user + system time of the direct process, and of the daemon with all its stage processes from the drop to done.',
  '',
  '| model | round | order | direct s | daemon s | ratio | direct CPU s | daemon CPU s | CPU ratio | same text | direct WER | daemon WER |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...long.map((r) => `| ${r.model} | ${r.round} | ${r.order} | ${f2(r.directSec)} | ${f2(r.daemonSec)} | ${f3(r.ratio)} | ` +
    `${f2(r.directCpuSec)} | ${f2(r.daemonCpuSec)} | ${f3(r.daemonCpuSec / r.directCpuSec)} | ` +
    `${r.sameText ? 'yes' : 'no'} | ${f3(r.directWer)} | ${f3(r.daemonWer)} |`),
  '',
  ...summary.map((s) => `- ${s.model}: median direct ${f2(s.directMedianSec)} s, median daemon ${f2(s.daemonMedianSec)} s, ` +
    `ratio of medians **${f3(s.ratio)}x** (goal <= ${TIME_GOAL}x: ${s.ratio <= TIME_GOAL ? 'met' : 'NOT met'}); median of the paired per-round ratios ${f3(s.pairedRatioMedian)}x; ` +
    `median CPU-time ratio ${f3(s.cpuRatio)}x (CPU time hardly depends on the other load).`),
  '',
  'Where the time went, per run (seconds). Daemon: until the job row (stability window + intake), queued, before the first stage, ' +
    'decode, VAD, transcribe (first window start to last window end; includes the model load in the warm worker; windows in brackets), ' +
    'between stages, render + publish, polling. ' +
    'Direct: process start + imports, model load, decode, VAD + transcribe.',
  '',
  '| model | round | daemon: until job / queued / before stage / decode / vad / transcribe / between / render+publish / polling | direct: start+import / load / decode / vad+transcribe |',
  '|---|---|---|---|',
  ...long.map((r) => {
    const p = r.daemonPhases;
    const q = r.directPhases;
    const head = [p.untilJobSec, p.queuedSec, p.beforeFirstStageSec, p.decodeSec, p.vadSec].map(f2).join(' / ');
    const tail = [p.betweenStagesSec, p.renderAndPublishSec, p.noticedAfterSec].map(f2).join(' / ');
    return `| ${r.model} | ${r.round} | ${head} / ${f2(p.transcribeSec)} [${p.transcribeRuns}] / ${tail} | ` +
      `${[q.startAndImportSec, q.loadSec, q.decodeSec, q.transcribeSec].map(f2).join(' / ')} |`;
  }),
].join('\n'), { settings: defaults, codeAtStart, perClip, directMean, daemonMean, longSec, longPieces: used.length, long, summary });
