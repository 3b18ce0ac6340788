// A vocabulary file: one term a line, blank lines and lines starting with # left out.
import { readFileSync } from 'node:fs';
import { ConfigError } from './configError.js';

/** The terms of a vocabulary file, in order, each once; a file that cannot be read is a configuration error. */
export function readVocabularyFile(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the vocabulary file ${file}: ${(err as Error).message}`);
  }
  return parseVocabulary(text);
}

/** Terms from the text of a vocabulary file. */
export function parseVocabulary(text: string): string[] {
  const terms = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return [...new Set(terms)];
}
