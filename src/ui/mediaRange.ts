// HTTP range requests for the recording (pure): `bytes=a-b`, `bytes=a-` and `bytes=-n`, one range at a time.
export type RangeAnswer = { start: number; end: number } | 'unsatisfiable' | undefined;

/** The byte range (inclusive) a Range header asks for in a file of `size` bytes; undefined: the whole file. */
export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

const TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  wave: 'audio/wav',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  ogv: 'video/ogg',
};

/** The media type of a recording by its extension (application/octet-stream when unknown). */
export function mediaType(file: string): string {
  return TYPES[file.toLowerCase().split('.').pop() ?? ''] ?? 'application/octet-stream';
}
