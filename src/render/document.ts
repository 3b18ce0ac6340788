// The transcript document every renderer reads: segments plus what produced them.
import type { Segment } from '../contract.js';

export interface TranscriptDocument {
  source: string;           // path of the recording below its inbox
  language: string;
  languageProbability: number;
  task: string;
  backend: string;
  model: string;
  alignment: 'whisperx' | 'native' | 'none';
  durationSec: number;
  processingSec: number;
  degraded: string[];
  createdAt: string;        // ISO time
  segments: Segment[];
}
