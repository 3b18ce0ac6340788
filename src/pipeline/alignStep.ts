// The optional align step: WhisperX over the whole transcript, or window by window for a long recording; what fails
// keeps the speech recognizer's word timings (for the whole recording, or for that window alone).
import type { Window } from '../core/contract.js';
import { writeFileAtomic } from '../platform/atomicWrite.js';
import { alignRequest } from './requests.js';
import { readTranscript, type Recording, type StepContext } from './stepContext.js';
import type { Transcribed } from './transcribeStep.js';
import { windowUnit } from './workDir.js';

/** Align the words of `asr`; the aligned transcript file, or undefined when nothing could be aligned. */
export async function align(
  ctx: StepContext,
  recording: Recording,
  asr: Transcribed,
): Promise<{ transcript: string } | undefined> {
  const { audio, windows } = recording;
  const { transcript, language } = asr.artifacts;
  if (windows) return alignWindowed(ctx, { audio, windows, language });
  return ctx.optional(
    { stage: 'align', what: 'WhisperX word alignment', instead: 'used the word timings of the speech recognizer' },
    () => ctx.executor.run(alignRequest(ctx.job, { audio, transcript, language })),
  );
}

/** WhisperX window by window: a window whose alignment fails keeps the recognizer's word timings, alone. */
async function alignWindowed(ctx: StepContext, of: { audio: string; windows: Window[]; language: string }) {
  const { audio, windows, language } = of;
  const parts: string[] = [];
  let aligned = 0;
  for (const w of windows) {
    const native = ctx.work.windowTranscript(w.index);
    if (!native) continue; // a window marked missing
    const label = `window ${w.index + 1}/${windows.length}`;
    const done = await ctx.optional(
      {
        stage: 'align',
        what: `WhisperX word alignment of ${label}`,
        instead: 'used the word timings of the speech recognizer there',
      },
      () =>
        ctx.executor.run({
          ...alignRequest(ctx.job, {
            audio,
            transcript: native,
            language,
            window: { window: w, count: windows.length },
          }),
          unit: {
            name: windowUnit(w.index),
            label: `align ${label}`,
            fraction: (f) => (w.index + f) / windows.length,
          },
        }),
    );
    if (done) aligned++;
    parts.push(done?.transcript ?? native);
  }
  if (!aligned) return undefined;
  const transcript = ctx.work.alignedTranscript();
  writeFileAtomic(transcript, JSON.stringify({ segments: parts.flatMap((p) => readTranscript(p).segments) }));
  return { transcript };
}
