// A long recording made of corpus clips with silence between them, for the window tests: 16 kHz mono WAV.
import { join } from 'node:path';
import { corpus, CORPUS } from './env.js';
import { ffmpeg } from './ffmpeg.js';

/** Join the corpus `files` in order, each followed by `pauseSec` of silence; returns the joined reference text. */
export function joinedRecording(files: string[], pauseSec: number, out: string): string {
  const inputs = files.flatMap((f) => ['-i', join(CORPUS, f)]);
  const padded = files.map(
    (_, i) => `[${i}:a]aformat=sample_rates=16000:channel_layouts=mono,apad=pad_dur=${pauseSec}[a${i}]`,
  );
  const concat = `${files.map((_, i) => `[a${i}]`).join('')}concat=n=${files.length}:v=0:a=1[out]`;
  ffmpeg([
    ...inputs,
    '-filter_complex',
    [...padded, concat].join(';'),
    '-map',
    '[out]',
    '-ac',
    '1',
    '-ar',
    '16000',
    '-c:a',
    'pcm_s16le',
    out,
  ]);
  const refs = new Map(corpus().map((c) => [c.file, c.reference]));
  return files.map((f) => refs.get(f)!).join(' ');
}
