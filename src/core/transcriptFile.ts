// The transcript file the transcribe, align and diarize stages write (part of the TS/Python contract, src/core/contract.ts,
// which re-exports it and generates it into contract.schema.json).
import { z } from 'zod';

/** A time in seconds from the start of the recording. */
export const seconds = z.number().finite().nonnegative();

export const Word = z.object({
  word: z.string(),
  start: seconds,
  end: seconds,
  probability: z.number().min(0).max(1).nullable(),
  speaker: z.string().optional().describe('speaker id (S1, S2, ...) when the recording was diarized'),
  language: z.string().min(2).optional().describe("the language this word was transcribed in (its turn's)"),
});
export type Word = z.infer<typeof Word>;
export const Segment = z.object({
  start: seconds,
  end: seconds,
  text: z.string(),
  words: z.array(Word),
  speaker: z.string().optional().describe('speaker id (S1, S2, ...) when the recording was diarized'),
  language: z.string().min(2).optional().describe("the language this segment was transcribed in (its turn's)"),
  noSpeechProb: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .optional()
    .describe("the recognizer's probability that this was not speech"),
  avgLogprob: z.number().nullable().optional().describe('mean log-probability of the tokens; below -1 is doubtful'),
  compressionRatio: z
    .number()
    .nonnegative()
    .nullable()
    .optional()
    .describe('text compression ratio; above 2.4 suggests a loop'),
  weak: z.boolean().optional().describe('a passage to check: one of the three signals is past its limit'),
});
export type Segment = z.infer<typeof Segment>;
export const SuppressedSegment = z.object({ start: seconds, end: seconds, text: z.string(), reason: z.string() });
export type SuppressedSegment = z.infer<typeof SuppressedSegment>;
export const MissingRange = z.object({ start: seconds, end: seconds, reason: z.string() });
export type MissingRange = z.infer<typeof MissingRange>;
export const Transcript = z.object({
  segments: z.array(Segment),
  suppressed: z.array(SuppressedSegment).optional().describe('text the recognizer wrote over non-speech, left out'),
  missing: z
    .array(MissingRange)
    .optional()
    .describe('ranges of the recording that could not be transcribed (a window that kept failing)'),
});
export type Transcript = z.infer<typeof Transcript>;
