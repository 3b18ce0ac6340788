// Real-model tier: subtitles of the corpus clips (bundled `base`) and of a 12-minute recording joined from them
// with pauses (bundled `tiny.en`) must meet the broadcast rules, measured by the rule checker.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Segment } from '../../src/core/contract.js';
import { PYTHON_DIR } from '../../src/platform/paths.js';
import { DEFAULT_PYTHON } from '../../src/platform/python/location.js';
import { RENDERERS, type TranscriptDocument } from '../../src/output/render/index.js';
import { corpus, CORPUS, tempDir } from '../helpers/env.js';
import { checkSrt, summarize, type CueReport } from '../helpers/subtitleRules.js';

const SAMPLE_RATE = 16_000;
const LONG_SEC = 12 * 60;
const PAUSES_SEC = [0.4, 1.2, 2.5, 0.7, 3.0, 1.8];

const python = (args: string[], input?: string) =>
  execFileSync(DEFAULT_PYTHON, args, {
    cwd: PYTHON_DIR,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, PYTHONPATH: PYTHON_DIR, HF_HUB_OFFLINE: '1' },
  });

/** The bundled ffmpeg and the bundled models' folders. */
function tools(): { ffmpeg: string; models: Record<string, string> } {
  return JSON.parse(
    python([
      '-c',
      `import json, imageio_ffmpeg
from dropscribe_stages.weights.models import bundled_models
print(json.dumps({"ffmpeg": imageio_ffmpeg.get_ffmpeg_exe(), "models": {k: str(v) for k, v in bundled_models().items()}}))`,
    ]),
  );
}

/** 16 kHz mono 16-bit samples of a media file. */
function decode(ffmpeg: string, file: string): Buffer {
  return execFileSync(
    ffmpeg,
    ['-nostdin', '-v', 'error', '-i', file, '-ac', '1', '-ar', String(SAMPLE_RATE), '-f', 's16le', '-'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
}

/** A WAV file of the clips played one after another, with pauses between them, until it is `seconds` long. */
function joinClips(clips: Buffer[], seconds: number, out: string): string {
  const parts: Buffer[] = [];
  let bytes = 0;
  for (let k = 0; bytes < seconds * SAMPLE_RATE * 2; k++) {
    const clip = clips[k % clips.length]!;
    const pause = Buffer.alloc(Math.round(PAUSES_SEC[k % PAUSES_SEC.length]! * SAMPLE_RATE) * 2);
    parts.push(clip, pause);
    bytes += clip.length + pause.length;
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + bytes, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(bytes, 40);
  writeFileSync(out, Buffer.concat([header, ...parts]));
  return out;
}

// faster-whisper with word timings, as the transcribe stage calls it (asr_faster_whisper.py).
const TRANSCRIBE = `import json, sys
from faster_whisper import WhisperModel
jobs = json.load(sys.stdin)
models, out = {}, []
for job in jobs:
    model = models.get(job["model"]) or models.setdefault(job["model"], WhisperModel(job["model"], device="cpu", compute_type="int8"))
    segments, info = model.transcribe(job["audio"], language=job["language"], beam_size=5, word_timestamps=True,
                                      vad_filter=False, condition_on_previous_text=False)
    out.append({"language": info.language, "segments": [
        {"start": s.start, "end": s.end, "text": s.text,
         "words": [{"word": w.word, "start": w.start, "end": w.end, "probability": w.probability} for w in (s.words or [])]}
        for s in segments]})
print(json.dumps(out))`;

interface Transcribed {
  language: string;
  segments: Segment[];
}

function transcribe(jobs: { audio: string; model: string; language: string | null }[]): Transcribed[] {
  return JSON.parse(python(['-c', TRANSCRIBE], JSON.stringify(jobs))) as Transcribed[];
}

function doc(source: string, t: Transcribed): TranscriptDocument {
  return {
    source,
    language: t.language,
    languageProbability: 1,
    task: 'transcribe',
    backend: 'faster-whisper',
    model: 'test',
    alignment: 'native',
    durationSec: 0,
    processingSec: 0,
    degraded: [],
    notes: [],
    speechFound: true,
    createdAt: 'now',
    segments: t.segments,
    suppressed: [],
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

test(
  'real transcripts: subtitles of the corpus and of a 12-minute recording meet the broadcast rules',
  { timeout: 20 * 60_000 },
  () => {
    const { ffmpeg, models } = tools();
    assert.ok(models.base && models['tiny.en'], `bundled models missing: ${JSON.stringify(models)}`);
    const clips = corpus();
    const dir = tempDir('dropscribe-subtitles-');
    const long = joinClips(
      clips.map((c) => decode(ffmpeg, join(CORPUS, c.file))),
      LONG_SEC,
      join(dir, 'joined.wav'),
    );

    const started = Date.now();
    const results = transcribe([
      ...clips.map((c) => ({ audio: join(CORPUS, c.file), model: models.base!, language: c.language })),
      { audio: long, model: models['tiny.en']!, language: 'en' },
    ]);
    const names = [...clips.map((c) => c.file), 'joined-12min.wav'];
    writeFileSync(join(dir, 'transcripts.json'), JSON.stringify({ names, results }));
    const reports: CueReport[][] = results.map((r, k) => {
      const srt = RENDERERS.srt(doc(names[k]!, r));
      writeFileSync(join(dir, `${names[k]}.srt`), srt);
      return checkSrt(srt);
    });

    for (const [k, file] of reports.entries()) {
      const s = summarize([file]);
      console.log(
        `subtitles ${names[k]}: ${s.cues} cues, ${pct(s.passingShare)} meet every rule, ` +
          `short outside pauses ${s.shortNotInPause}, dangling lines ${s.danglingLines}/${s.lines}`,
      );
      for (const r of file.filter((x) => x.broken.length)) {
        console.log(
          `  cue ${r.cue.index} [${r.broken.join(', ')}] ${(r.cue.end - r.cue.start).toFixed(3)} s: ${r.cue.lines.join(' / ')}`,
        );
      }
    }
    const all = summarize(reports);
    console.log(
      `subtitles overall: ${all.cues} cues in ${reports.length} files, ${pct(all.passingShare)} meet every rule; ` +
        `short cues outside pauses: ${all.shortNotInPause}; lines ending on an article/preposition/conjunction: ` +
        `${all.danglingLines}/${all.lines} (${pct(all.danglingShare)}); broken by rule: ${JSON.stringify(all.byRule)}; ` +
        `transcription took ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );

    assert.ok(reports.at(-1)!.length >= 100, 'the 12-minute recording gives many cues');
    assert.ok(all.passingShare >= 0.97, `only ${pct(all.passingShare)} of cues meet every rule`);
    assert.equal(all.shortNotInPause, 0, 'a cue shorter than 5/6 s without pauses of more than 1 s around it');
    assert.ok(
      all.danglingShare <= 0.02,
      `${pct(all.danglingShare)} of lines end on an article, preposition or conjunction`,
    );
  },
);
