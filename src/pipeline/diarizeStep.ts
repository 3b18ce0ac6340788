// The diarize step: who spoke when, over the whole recording (the plan says whether a job runs it). A failure
// degrades: the job is done without speakers and says so.
import type { ArtifactsFor } from '../core/contract.js';
import { diarizeRequest } from './requests.js';
import type { Recording, StepContext } from './stepContext.js';

/** What `status` notes after diarization: how many speakers were found and how sure (JSON: speakerConfidence). */
export function speakersNote(found: Pick<ArtifactsFor<'diarize'>, 'speakers' | 'confidence'>): string {
  const n = found.speakers.length;
  const sure = n > 1 ? `, confidence ${found.confidence.toFixed(2)} (1 - the highest voice similarity of two)` : '';
  return `speakers: ${n} found${sure}`;
}

/** Label the words of `transcript`; the diarize artifacts, or undefined when it is off or failed. */
export async function diarize(
  ctx: StepContext,
  recording: Recording,
  transcript: string,
): Promise<ArtifactsFor<'diarize'> | undefined> {
  const request = diarizeRequest(ctx.job, { audio: recording.audio, transcript, speech: recording.speech });
  if (!request) return undefined;
  const found = await ctx.optional(
    { stage: 'diarize', what: 'speaker labelling', instead: 'the transcript has no speakers' },
    () => ctx.executor.run(request),
  );
  if (found) ctx.note(speakersNote(found));
  return found;
}
