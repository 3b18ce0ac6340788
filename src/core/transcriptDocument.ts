// The transcript document every renderer reads: segments plus what produced them.
import type { AlignMode, AsrBackend, MissingRange, Segment, SuppressedSegment, Task } from '../contract.js';

export interface TranscriptDocument {
  source: string; // path of the recording below its inbox
  language: string;
  languageProbability: number;
  task: Task;
  backend: AsrBackend;
  model: string;
  alignment: AlignMode;
  durationSec: number;
  processingSec: number;
  degraded: string[];
  notes: string[]; // what the user should know: language check, no speech found, track chosen
  speechFound: boolean;
  createdAt: string; // ISO time
  segments: Segment[];
  suppressed: SuppressedSegment[]; // text the recognizer wrote over non-speech, left out
  missing?: MissingRange[]; // ranges that could not be transcribed (a window that kept failing)
  translation?: TranscriptDocument; // both tasks: the English translation, written as name.en.*
}
