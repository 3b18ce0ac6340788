// A stage runner that plays a script instead of starting processes: per stage (and backend) a list of outcomes,
// one per attempt. Successful transcribe/align runs write a small transcript file as the real stages would.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestFor, StageName, StageRequest } from '../../src/contract.js';
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

/** `script` maps `stage` or `transcribe:<backend>` to its outcomes per attempt; the last one repeats; unlisted is ok. */
export function scriptedRunner(script: Record<string, Step[]>): ScriptedRunner {
  const calls: string[] = [];
  const requests: StageRequest[] = [];
  const seen = new Map<string, number>();
  const runner: StageRunner = async (options) => {
    const request = options.request as StageRequest;
    const key = keyOf(request);
    calls.push(key);
    requests.push(request);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    const steps = script[key] ?? ['ok'];
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
    return { artifacts: artifactsFor(request), peakRssBytes: 1, elapsedMs: 1, warnings: [] } as StageOutcome<
      typeof request.stage
    >;
  };
  return { runner, calls, requests };
}

function transcriptFile(outDir: string, text: string): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, 'transcript.json');
  const words = text.split(' ').map((word, i) => ({ word, start: i, end: i + 0.5, probability: 0.9 }));
  writeFileSync(path, JSON.stringify({ segments: [{ start: 0, end: words.length, text, words }] }));
  return path;
}

function artifactsFor(r: StageRequest): unknown {
  const byStage: { [S in StageName]: (r: RequestFor<S>) => unknown } = {
    decode: (d) => ({
      audio: join(d.outDir, 'audio.wav'),
      durationSec: 4,
      sampleRate: 16000,
      streamIndex: 0,
      codec: 'pcm',
      hasVideo: false,
      decoder: 'ffmpeg',
    }),
    separate: (s) => ({ audio: join(s.outDir, 'vocals.wav'), model: s.model }),
    vad: () => ({ segments: [{ start: 0, end: 4 }], speechSec: 4 }),
    transcribe: (t) => ({
      transcript: transcriptFile(t.outDir, `heard by ${t.backend}`),
      language: 'en',
      languageProbability: 1,
      durationSec: 4,
      backend: t.backend,
      model: t.model,
      segmentCount: 1,
    }),
    align: (a) => ({ transcript: transcriptFile(a.outDir, 'aligned by whisperx'), backend: 'whisperx', wordCount: 3 }),
  };
  return (byStage[r.stage] as (r: StageRequest) => unknown)(r);
}
