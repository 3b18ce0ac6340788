// The optional diarize step: who spoke when, over the whole recording. A failure degrades: the job is done without
// speakers and says so.
import type { ArtifactsFor, Span } from '../core/contract.js';
import type { SpeakersSetting } from '../config/config.js';
import type { StepContext } from './stepContext.js';
import { listVoices } from './voices.js';

/** [min, max] speakers for a setting; null when diarization is off. */
export function speakerRange(setting: SpeakersSetting, maxAuto: number): [number, number] | null {
  if (setting === 'off') return null;
  if (setting === 'auto') return [1, maxAuto];
  if (typeof setting === 'number') return [setting, setting];
  return [Math.min(setting.min, setting.max), Math.max(setting.min, setting.max)];
}

/** What `status` notes after diarization: how many speakers were found and how sure (JSON: speakerConfidence). */
export function speakersNote(found: Pick<ArtifactsFor<'diarize'>, 'speakers' | 'confidence'>): string {
  const n = found.speakers.length;
  const sure = n > 1 ? `, confidence ${found.confidence.toFixed(2)} (1 - the highest voice similarity of two)` : '';
  return `speakers: ${n} found${sure}`;
}

/** Label the words of `transcript`; the diarize artifacts, or undefined when it is off or failed. */
export async function diarize(
  ctx: StepContext,
  audio: string,
  transcript: string,
  speech: Span[] | null,
): Promise<ArtifactsFor<'diarize'> | undefined> {
  const range = speakerRange(ctx.settings.speakers, ctx.config.speakers.maxAuto);
  if (!range) return undefined;
  const found = await ctx.optional('diarize', 'speaker labelling', 'the transcript has no speakers', () =>
    ctx.executor.run('diarize', 'resemblyzer', null, (outDir) => ({
      stage: 'diarize',
      audio,
      transcript,
      speech,
      minSpeakers: range[0],
      maxSpeakers: range[1],
      hopSec: ctx.config.speakers.hopSec,
      voices: listVoices(ctx.config.speakers.voices),
      ...ctx.common(outDir),
    })),
  );
  if (found) ctx.note(speakersNote(found));
  return found;
}
