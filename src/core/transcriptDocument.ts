// The transcript document every renderer reads: segments plus what produced them.
import type {
  AlignMode,
  AsrBackend,
  LanguageTime,
  MissingRange,
  Segment,
  SpeakerInfo,
  SuppressedSegment,
  Task,
} from './contract.js';

export interface TranscriptDocument {
  source: string; // path of the recording below its inbox
  language: string; // the main language: most speech
  languageProbability: number;
  languages?: LanguageTime[]; // every language its turns are in, with their speech time, most first
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
  speakers?: SpeakerInfo[]; // who spoke (diarize stage); segments and words carry their `speaker` id
  speakerConfidence?: number; // 1 - the highest voice similarity between two of the speakers found
  frameRate?: number; // a video's frames a second (FCPXML times are whole frames of it); absent for audio
}

/** Whether a reader sees speakers at all: only with two or more (one speaker gets no labels). */
export function speakersLabelled(doc: Pick<TranscriptDocument, 'speakers'>): boolean {
  return (doc.speakers?.length ?? 0) >= 2;
}

/** The label a reader sees for speaker `id`: its name, else `Speaker N`; undefined with fewer than two speakers. */
export function speakerLabel(doc: Pick<TranscriptDocument, 'speakers'>, id: string | undefined): string | undefined {
  if (!id || !doc.speakers || !speakersLabelled(doc)) return undefined;
  return doc.speakers.find((s) => s.id === id)?.name ?? `Speaker ${id.slice(1)}`;
}

/** The language of the speech from `start` to `end`: that of the segment overlapping it most, else the document's. */
export function languageAt(doc: Pick<TranscriptDocument, 'language' | 'segments'>, start: number, end: number): string {
  let best = doc.language;
  let most = 0;
  for (const seg of doc.segments) {
    const overlap = Math.min(end, seg.end) - Math.max(start, seg.start);
    if (overlap > most && seg.language) [best, most] = [seg.language, overlap];
  }
  return best;
}
