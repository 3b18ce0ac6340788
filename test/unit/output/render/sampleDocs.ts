// Transcript documents for the writers' tests: a named two-speaker conversation with word timings, and the same shape
// in Arabic (right to left) and Japanese (no spaces), each word timed.
import type { TranscriptDocument } from '../../../../src/core/transcriptDocument.js';

interface Said {
  speaker?: string;
  start: number;
  words: string[]; // each word takes 0.4 s, then 0.1 s to the next
}

function docOf(language: string, said: Said[], names?: Record<string, string>, spaced = true): TranscriptDocument {
  const segments = said.map(({ speaker, start, words }) => {
    const timed = words.map((w, i) => ({
      word: (spaced || i === 0 ? ' ' : '') + w,
      start: +(start + i * 0.5).toFixed(3),
      end: +(start + i * 0.5 + 0.4).toFixed(3),
      probability: 0.9 - i * 0.01,
      ...(speaker ? { speaker } : {}),
    }));
    return {
      start,
      end: timed.at(-1)!.end,
      text: timed.map((w) => w.word).join(''),
      words: timed,
      ...(speaker ? { speaker } : {}),
    };
  });
  const ids = [...new Set(said.map((s) => s.speaker).filter((s) => s !== undefined))];
  return {
    source: `interviews/talk-${language}.wav`,
    language,
    languageProbability: 0.99,
    task: 'transcribe',
    backend: 'faster-whisper',
    model: 'base',
    alignment: 'native',
    durationSec: Math.ceil(segments.at(-1)!.end + 1),
    processingSec: 1,
    degraded: [],
    notes: [],
    speechFound: true,
    createdAt: '2026-12-07T10:00:00.000Z',
    segments,
    suppressed: [],
    ...(ids.length
      ? { speakers: ids.map((id) => ({ id, speechSec: 5, ...(names?.[id] ? { name: names[id] } : {}) })) }
      : {}),
  } as TranscriptDocument;
}

/** Alice and Bob (S1 named Alice, S2 named Bob); text with characters that are markup in some formats. */
export function conversation(): TranscriptDocument {
  return docOf(
    'en',
    [
      { speaker: 'S1', start: 0.5, words: ['Welcome', 'to', 'the', 'show,', 'Bob.'] },
      { speaker: 'S2', start: 3.2, words: ['Thanks,', 'Alice!', 'I', 'paid', '$5', 'for', '*this*', '<b>ticket</b>.'] },
      { speaker: 'S1', start: 8.1, words: ['Tell', 'us', 'about', '{the}', 'C:\\new', 'book,', 'please.'] },
      { speaker: 'S2', start: 12.4, words: ['It', 'is', 'about', 'rivers', '"and",', '=SUM(A1)', 'their', 'towns.'] },
      { speaker: 'S2', start: 17.0, words: ['Every', 'town', 'has', 'a', 'story.'] },
    ],
    { S1: 'Alice', S2: 'Bob' },
  );
}

/** Arabic, two speakers (named in Arabic). */
export function arabic(): TranscriptDocument {
  return docOf(
    'ar',
    [
      { speaker: 'S1', start: 0.5, words: ['مرحبا', 'بكم', 'في', 'البرنامج.'] },
      { speaker: 'S2', start: 3.0, words: ['شكرا', 'جزيلا', 'لك!'] },
    ],
    { S1: 'سارة', S2: 'عمر' },
  );
}

/** Japanese, one word a character group, no spaces. */
export function japanese(): TranscriptDocument {
  return docOf('ja', [{ start: 0.5, words: ['今日は', 'いい', '天気', 'です', 'ね。'] }], undefined, false);
}
