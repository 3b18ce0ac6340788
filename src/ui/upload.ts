// A file dropped onto the page: streamed to a hidden temporary name in the inbox (intake ignores it), size-limited,
// then linked into place under its own name (never over another file) so intake only ever sees a complete file. A name
// too long for the file system or an empty file is refused before anything is linked.
import { randomBytes } from 'node:crypto';
import { createWriteStream, linkSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { skipReason } from '../intake/inputFilter.js';

/** An upload refused: the status says why (413 too large, 415 not a recording, 400 no usable name or no content). */
export class UploadError extends Error {
  override name = 'UploadError';
  constructor(
    message: string,
    readonly status: 400 | 413 | 415,
  ) {
    super(message);
  }
}

/** 255 bytes is the longest name ext4 and APFS allow; " (999)" may be added to a name that is taken. */
const MAX_NAME_BYTES = 255 - ' (999)'.length;

/** The name an upload is saved under: its last path part, without leading dots or control characters. */
export function safeUploadName(name: string): string {
  const base = [...basename(name.replace(/\\/g, '/'))]
    .filter((ch) => ch.charCodeAt(0) >= 0x20)
    .join('')
    .replace(/^[.\s]+/, '')
    .trim();
  if (!base) throw new UploadError(`"${name}" is not a usable file name`, 400);
  const bytes = Buffer.byteLength(base);
  if (bytes > MAX_NAME_BYTES)
    throw new UploadError(`the name is too long (${bytes} bytes; a file name may have ${MAX_NAME_BYTES})`, 400);
  const reason = skipReason(base);
  if (reason) throw new UploadError(`${base} is not taken: ${reason}`, 415);
  return base;
}

/** Where an upload goes: into `inbox` as `name` (or "name (2).ext" when taken), refused past `maxBytes`. */
export interface UploadTarget {
  name: string;
  inbox: string;
  maxBytes: number;
}

/** Save `body` as `to` says; returns the path. */
export async function receiveUpload(body: Readable, to: UploadTarget): Promise<string> {
  const { name, inbox, maxBytes } = to;
  const base = safeUploadName(name);
  const temp = join(inbox, `.${randomBytes(6).toString('hex')}.upload.part`);
  let received = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > maxBytes)
        done(new UploadError(`${base} is larger than the limit of ${Math.round(maxBytes / 2 ** 20)} MB`, 413));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(temp, { flags: 'wx', mode: 0o644 }));
    if (received === 0) throw new UploadError(`${base} is empty: no content was sent`, 400);
    return linkFree(temp, inbox, base);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Hard-link `temp` to the first free name in `dir` (a link never replaces an existing file). */
function linkFree(temp: string, dir: string, base: string): string {
  const ext = extname(base);
  const stem = base.slice(0, base.length - ext.length);
  for (let n = 1; ; n++) {
    const target = join(dir, n === 1 ? base : `${stem} (${n})${ext}`);
    try {
      linkSync(temp, target);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENAMETOOLONG') throw new UploadError(`the name ${base} is too long for the inbox's folder`, 400);
      if (code !== 'EEXIST' || n > 999) throw err;
    }
  }
}
