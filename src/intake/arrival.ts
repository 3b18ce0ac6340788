// Is a quiet file still arriving? A Finder copy in progress (busy creation date, `brok` type), or a WAV/AIFF
// header (or MP4/M4A/MOV top-level box) that promises more data than the file holds. Pure decisions on stat values
// and header bytes, plus the small readers that feed them. (When a decode failure is retried quietly is the daemon's
// policy: daemon/decodeRetry.ts; whether a job's input still holds what it was made from: platform/inputStamp.ts.)
import { execFile } from 'node:child_process';
import { closeSync, openSync, readSync, type Stats } from 'node:fs';

/** Finder's kMagicBusyCreationDate, 1946-02-14 08:34:56 UTC, set on a file while Finder copies it. */
export const FINDER_BUSY_DATE_MS = Date.UTC(1946, 1, 14, 8, 34, 56);
/** How much of the file start is read to walk the header chunks. */
export const HEADER_BYTES = 64 * 1024;

export type FinderInfoReader = (path: string) => Promise<Buffer | undefined>;

/** Why Finder is still copying this file, or undefined. `finderInfo` is the com.apple.FinderInfo xattr (type at 0..4). */
export function finderBusyReason(st: Pick<Stats, 'birthtimeMs'>, finderInfo?: Buffer): string | undefined {
  if (Math.abs(st.birthtimeMs - FINDER_BUSY_DATE_MS) < 1000) return 'Finder is still copying it (busy creation date)';
  if (finderInfo && finderInfo.length >= 4 && finderInfo.toString('latin1', 0, 4) === 'brok')
    return 'Finder is still copying it (file type brok)';
  return undefined;
}

/** The birthtime says nothing when the volume does not keep creation dates (SMB, FAT, some Linux file systems). */
export function birthtimeInconclusive(st: Pick<Stats, 'birthtimeMs'>): boolean {
  return !(st.birthtimeMs > 0) && st.birthtimeMs !== FINDER_BUSY_DATE_MS;
}

/** com.apple.FinderInfo through `xattr -px` (macOS); undefined when the file has none or xattr is unavailable. */
export const readFinderInfo: FinderInfoReader = (path) =>
  new Promise((resolve) => {
    execFile('/usr/bin/xattr', ['-px', 'com.apple.FinderInfo', path], { timeout: 5000 }, (err, stdout) => {
      resolve(err ? undefined : Buffer.from(stdout.replace(/\s+/g, ''), 'hex'));
    });
  });

export type HeaderVerdict =
  | { kind: 'complete' } // the header's sizes fit in the file
  | { kind: 'streaming' } // sizes 0 or 0xFFFFFFFF: written before the length was known; no promise
  | { kind: 'short'; promised: number } // the header promises `promised` bytes; the file holds fewer
  | { kind: 'unknown' }; // not a RIFF/RF64/AIFF/MP4 file (or a header we cannot read)

const STREAMING = new Set([0, 0xffffffff]);

/** Walk the RIFF (WAV), RF64/BW64 or FORM (AIFF/AIFC) chunks in `head` (the file's first bytes) and compare the sizes
 * they promise with `size`, the file's length. A missing pad byte is tolerated. */
export function checkMediaHeader(head: Buffer, size: number): HeaderVerdict {
  if (head.length < 12) return { kind: 'unknown' };
  const magic = head.toString('latin1', 0, 4);
  const big = magic === 'FORM' || magic === 'RIFX';
  if (!['RIFF', 'RIFX', 'RF64', 'BW64', 'FORM'].includes(magic)) return { kind: 'unknown' };
  const u32 = (at: number) => (big ? head.readUInt32BE(at) : head.readUInt32LE(at));
  const u64 = (at: number) => Number(head.readBigUInt64LE(at));
  const dataId = magic === 'FORM' ? 'SSND' : 'data';
  let promised = STREAMING.has(u32(4)) ? undefined : 8 + u32(4);
  let streaming = promised === undefined;
  let ds64Data: number | undefined;
  for (let at = 12; at + 8 <= head.length;) {
    const id = head.toString('latin1', at, at + 4);
    const len = u32(at + 4);
    if (id === 'ds64' && at + 8 + 24 <= head.length) {
      promised = 8 + u64(at + 8); // RF64: the real RIFF size lives here
      ds64Data = u64(at + 16);
      streaming = false;
    }
    if (id === dataId) {
      const dataLen = (magic === 'RF64' || magic === 'BW64') && len === 0xffffffff ? ds64Data : len;
      if (dataLen === undefined || STREAMING.has(dataLen)) streaming = true;
      else promised = Math.max(promised ?? 0, at + 8 + dataLen);
      break;
    }
    at += 8 + len + (len & 1);
  }
  if (promised !== undefined && promised > size + 1) return { kind: 'short', promised };
  return streaming && promised === undefined ? { kind: 'streaming' } : { kind: 'complete' };
}

/** Box types an MP4/M4A/MOV file starts with. */
const ISO_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/** Walk the top-level boxes of an MP4/M4A/MOV file (ISO BMFF / QuickTime); `read(offset, length)` returns the bytes
 * there (fewer at the end). A box that ends past the file end is a promise; a size of 0 ("to the end") is not. */
export function checkIsoBoxes(read: (offset: number, length: number) => Buffer, size: number): HeaderVerdict {
  const first = read(0, 8);
  if (first.length < 8 || !ISO_FIRST_BOXES.has(first.toString('latin1', 4, 8))) return { kind: 'unknown' };
  for (let at = 0, boxes = 0; at < size && boxes < 10_000; boxes++) {
    const h = read(at, 16);
    if (h.length < 8) return { kind: 'short', promised: at + 8 };
    if (!/^[\x20-\x7e]{4}$/.test(h.toString('latin1', 4, 8))) return { kind: 'unknown' };
    const len32 = h.readUInt32BE(0);
    if (len32 === 0) return { kind: 'streaming' };
    if (len32 === 1 && h.length < 16) return { kind: 'short', promised: at + 16 };
    const len = len32 === 1 ? Number(h.readBigUInt64BE(8)) : len32;
    if (len < 8) return { kind: 'unknown' };
    if (at + len > size) return { kind: 'short', promised: at + len };
    at += len;
  }
  return { kind: 'complete' };
}

/** The verdict on a file's header: RIFF/AIFF chunks from its first HEADER_BYTES, else MP4 boxes; unknown when unreadable. */
export function readMediaVerdict(path: string, size: number): HeaderVerdict {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const read = (offset: number, length: number) => {
      const buf = Buffer.alloc(length);
      return buf.subarray(0, readSync(fd!, buf, 0, length, offset));
    };
    const riff = checkMediaHeader(read(0, HEADER_BYTES), size);
    return riff.kind === 'unknown' ? checkIsoBoxes(read, size) : riff;
  } catch {
    return { kind: 'unknown' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Why a file that has been quiet for the quiet period is still arriving, or undefined when it may be taken.
 * `finderBusy` reasons hold until Finder clears them; a short header only while the file changed within `settleMs`
 * (a recorder that crashed leaves a header that never comes true; its audio is still worth transcribing). */
export async function stillArriving(
  path: string,
  st: Stats,
  opts: {
    os: NodeJS.Platform;
    quietForMs: number;
    settleMs: number;
    readFinderInfo?: FinderInfoReader;
  },
): Promise<{ reason: string; waitForever: boolean } | undefined> {
  if (opts.os === 'darwin') {
    // The FinderInfo xattr costs a process: read it only when the creation date cannot answer.
    const info = birthtimeInconclusive(st) ? await (opts.readFinderInfo ?? readFinderInfo)(path) : undefined;
    const busy = finderBusyReason(st, info);
    if (busy) return { reason: busy, waitForever: true };
  }
  if (opts.quietForMs >= opts.settleMs) return undefined;
  const verdict = readMediaVerdict(path, st.size);
  if (verdict.kind === 'short') {
    return { reason: `its header promises ${verdict.promised} bytes and it holds ${st.size}`, waitForever: false };
  }
  return undefined;
}
