// A stage runner that plays a script instead of starting processes: per stage (and backend) a list of outcomes,
// one per attempt. Successful transcribe/align runs write a small transcript file as the real stages would. With
// `windows`, vad plans that many 4-second windows and a script key may name one window (`align@1`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestFor, StageName, StageRequest, Window } from '../../src/core/contract.js';
import type { StageRunner } from '../../src/pipeline/stageExecutor.js';
import { StageError, type StageErrorKind } from '../../src/stages/stageError.js';
import type { StageOutcome } from '../../src/stages/stageRunner.js';

/** 'ok', or a failure of a kind, optionally marked non-retryable by the stage itself. */
export type Step = 'ok' | StageErrorKind | { kind: StageErrorKind; retryable: boolean };

export interface ScriptedRunner {
  runner: StageRunner;
  /** Every request in order, as `stage` or `stage:backend`. */
  calls: string[];
  requests: StageRequest[];
}

const keyOf = (r: StageRequest) => (r.stage === 'transcribe' ? `transcribe:${r.backend}` : r.stage);

/** `script` maps `stage` or `transcribe:<backend>` (with `@<window index>` for one window) to its outcomes per
 * attempt; the last one repeats; unlisted is ok. */
export function scriptedRunner(script: Record<string, Step[]>, opts: { windows?: number } = {}): ScriptedRunner {
  const calls: string[] = [];
  const requests: StageRequest[] = [];
  const seen = new Map<string, number>();
  const runner: StageRunner = async (options) => {
    const request = options.request as StageRequest;
    const key = keyOf(request);
    calls.push(key);
    requests.push(request);
    const windowKey = 'window' in request && request.window ? `${key}@${request.window.index}` : undefined;
    const scriptKey = windowKey && script[windowKey] ? windowKey : key;
    const n = seen.get(scriptKey) ?? 0;
    seen.set(scriptKey, n + 1);
    const steps = script[scriptKey] ?? ['ok'];
    const step = steps[Math.min(n, steps.length - 1)]!;
    if (step !== 'ok') {
      const { kind, retryable } = typeof step === 'string' ? { kind: step, retryable: undefined } : step;
      throw new StageError(
        kind,
        `scripted ${kind}`,
        { ...options.context, stage: request.stage, elapsedMs: 1 },
        retryable,
      );
    }
    options.onProgress?.(1);
    return {
      artifacts: artifactsFor(request, opts.windows ?? 0),
      peakRssBytes: 1,
      elapsedMs: 1,
      warnings: [],
    } as StageOutcome<typeof request.stage>;
  };
  return { runner, calls, requests };
}

/** A one-segment transcript, at the start of its window (if any), one second a word. */
function transcriptFile(outDir: string, text: string, at = 0): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'transcript.json');
  const words = text.split(' ').map((word, i) => ({ word, start: at + i, end: at + i + 0.5, probability: 0.9 }));
  writeFileSync(path, JSON.stringify({ segments: [{ start: at, end: at + words.length, text, words }] }));
  return path;
}

function plannedWindows(count: number): Window[] {
  return Array.from({ length: count }, (_, i) => ({
    index: i,
    start: 4 * i,
    end: 4 * i + 4,
    speechSec: 4,
    firstSpan: i,
    spanCount: 1,
  }));
}

function artifactsFor(r: StageRequest, windows: number): unknown {
  const byStage: { [S in StageName]: (r: RequestFor<S>) => unknown } = {
    decode: (d) => ({
      audio: join(d.outDir, 'audio.wav'),
      durationSec: 4,
      sampleRate: 16000,
      streamIndex: 0,
      codec: 'pcm',
      hasVideo: false,
      decoder: 'ffmpeg',
      ...(d.source.endsWith('.mp4') ? { hasVideo: true, frameRate: 29.97 } : {}), // a video at NTSC's rate
    }),
    separate: (s) => ({ audio: join(s.outDir, 'vocals.wav'), model: s.model }),
    vad: () =>
      windows
        ? {
            segments: plannedWindows(windows).map((w) => ({ start: w.start, end: w.end })),
            speechSec: 4 * windows,
            windows: plannedWindows(windows),
          }
        : { segments: [{ start: 0, end: 4 }], speechSec: 4 },
    transcribe: (t) => ({
      transcript: t.window
        ? transcriptFile(t.outDir, `heard by ${t.backend} in window ${t.window.index}`, t.window.start)
        : transcriptFile(t.outDir, `heard by ${t.backend}`),
      language: 'en',
      languageProbability: 1,
      durationSec: 4,
      backend: t.backend,
      model: t.model,
      segmentCount: 1,
    }),
    align: (a) => ({
      transcript: a.window
        ? transcriptFile(a.outDir, `aligned by whisperx in window ${a.window.index}`, a.window.start)
        : transcriptFile(a.outDir, 'aligned by whisperx'),
      backend: 'whisperx',
      wordCount: 3,
    }),
    diarize: (d) => ({
      transcript: d.transcript,
      speakers: [{ id: 'S1', name: null, speechSec: 4 }],
      confidence: 1,
      windowCount: 8,
    }),
  };
  return (byStage[r.stage] as (r: StageRequest) => unknown)(r);
}
