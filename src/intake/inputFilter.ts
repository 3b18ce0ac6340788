// Which names in an inbox are recordings to process, and which are in-progress downloads or system files.
import { basename, extname } from 'node:path';

export const MEDIA_EXTENSIONS = new Set([
  'mp3',
  'wav',
  'wave',
  'm4a',
  'aac',
  'flac',
  'ogg',
  'oga',
  'opus',
  'wma',
  'aif',
  'aiff',
  'aifc',
  'caf',
  'amr',
  'mka',
  'mp4',
  'm4v',
  'mov',
  'mkv',
  'webm',
  'avi',
  'wmv',
  'mpg',
  'mpeg',
  'ts',
  'mts',
  'm2ts',
  '3gp',
  'flv',
  'ogv',
]);

const PARTIAL_SUFFIXES = [
  '.part',
  '.crdownload',
  '.download',
  '.partial',
  '.tmp',
  '.icloud',
  '.opdownload',
  '.filepart',
];

/** Why `path` is skipped, or undefined when it is a candidate recording. */
export function skipReason(path: string): string | undefined {
  const name = basename(path);
  const lower = name.toLowerCase();
  if (name.startsWith('._')) return 'AppleDouble metadata file';
  if (name.startsWith('.')) return 'hidden file';
  if (name === 'Icon\r') return 'folder icon file';
  if (PARTIAL_SUFFIXES.some((s) => lower.endsWith(s))) return 'download or copy in progress';
  if (lower.endsWith('.download') || lower.includes('.download/')) return 'Safari download in progress';
  if (!MEDIA_EXTENSIONS.has(extname(lower).slice(1))) return 'not an audio or video file extension';
  return undefined;
}

/** True for folders whose contents must not be watched (Safari .download bundles, hidden folders). */
export function skipFolder(path: string): boolean {
  const name = basename(path);
  return name.startsWith('.') || name.toLowerCase().endsWith('.download');
}

/** The real file name behind an old-style iCloud placeholder (`.talk.m4a.icloud` -> `talk.m4a`), if it is one. */
export function icloudPlaceholderTarget(path: string): string | undefined {
  return /^\.(.+)\.icloud$/.exec(basename(path))?.[1];
}
