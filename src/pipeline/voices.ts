// Known voices: a folder of samples, `Alice.m4a` or `Alice/*.wav`, read into (name, file) pairs for the diarize stage.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, parse } from 'node:path';

const AUDIO = /\.(wav|flac|mp3|m4a|aac|ogg|opus|aif|aiff|caf|mp4|mov|webm|wma)$/i;

export interface Voice {
  name: string;
  audio: string;
}

/** The enrolment samples of `folder` (none when it is null or missing); names are file or sub-folder names. */
export function listVoices(folder: string | null): Voice[] {
  if (!folder || !existsSync(folder)) return [];
  const voices: Voice[] = [];
  for (const entry of readdirSync(folder).sort()) {
    if (entry.startsWith('.')) continue;
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) {
      for (const sample of readdirSync(path).sort())
        if (!sample.startsWith('.') && AUDIO.test(sample)) voices.push({ name: entry, audio: join(path, sample) });
    } else if (AUDIO.test(extname(entry))) {
      voices.push({ name: parse(entry).name, audio: path });
    }
  }
  return voices;
}
