// The optional align step: WhisperX over the whole transcript, or window by window for a long recording; what fails
// keeps the speech recognizer's word timings (for the whole recording, or for that window alone).
import { join } from 'node:path';
import type { Window } from '../core/contract.js';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import { readCachedStage, stageDir } from '../store/stageCache.js';
import { readTranscript, type StepContext } from './stepContext.js';
import type { Transcribed } from './transcribeStep.js';
import { windowUnit } from './windows.js';

/** Align the words of `asr`; the aligned transcript file, or undefined when nothing could be aligned. */
export async function align(
  ctx: StepContext,
  audio: string,
  asr: Transcribed,
  windows: Window[] | null,
): Promise<{ transcript: string } | undefined> {
  if (windows) return alignWindowed(ctx, audio, windows, asr.artifacts.language);
  return ctx.optional('align', 'WhisperX word alignment', 'used the word timings of the speech recognizer', () =>
    ctx.executor.run('align', 'whisperx', null, (outDir) => ({
      stage: 'align',
      audio,
      transcript: asr.artifacts.transcript,
      language: asr.artifacts.language,
      device: 'cpu',
      model: ctx.settings.alignModel,
      ...ctx.common(outDir),
    })),
  );
}

/** WhisperX window by window: a window whose alignment fails keeps the recognizer's word timings, alone. */
async function alignWindowed(ctx: StepContext, audio: string, windows: Window[], language: string) {
  const parts: string[] = [];
  let aligned = 0;
  for (const w of windows) {
    const unit = windowUnit(w.index);
    const native = readCachedStage(ctx.workDir, 'transcribe', unit)?.artifacts.transcript;
    if (!native) continue; // a window marked missing
    const label = `window ${w.index + 1}/${windows.length}`;
    const done = await ctx.optional(
      'align',
      `WhisperX word alignment of ${label}`,
      'used the word timings of the speech recognizer there',
      () =>
        ctx.executor.run(
          'align',
          'whisperx',
          null,
          (outDir) => ({
            stage: 'align',
            audio,
            transcript: native,
            language,
            device: 'cpu',
            model: ctx.settings.alignModel,
            window: { index: w.index, count: windows.length, start: w.start, end: w.end },
            ...ctx.common(outDir),
          }),
          { name: unit, label: `align ${label}`, fraction: (f) => (w.index + f) / windows.length },
        ),
    );
    if (done) aligned++;
    parts.push(done?.transcript ?? native);
  }
  if (!aligned) return undefined;
  const transcript = join(stageDir(ctx.workDir, 'align'), 'transcript.aligned.json');
  writeFileAtomic(transcript, JSON.stringify({ segments: parts.flatMap((p) => readTranscript(p).segments) }));
  return { transcript };
}
