// A model download's progress in words for `status` and the log: bytes, speed and the time left.
import type { DownloadProgress } from '../core/contract.js';

const MB = 1e6;

/** "downloading model org/name: 45.1 of 145.2 MB, 3.2 MB/s, 31 s left" */
export function describeDownload(d: DownloadProgress): string {
  const left = d.bytesPerSec > 0 ? Math.ceil((d.totalBytes - d.bytes) / d.bytesPerSec) : null;
  return (
    `downloading model ${d.model}: ${(d.bytes / MB).toFixed(1)} of ${(d.totalBytes / MB).toFixed(1)} MB, ` +
    `${(d.bytesPerSec / MB).toFixed(1)} MB/s${left === null ? '' : `, ${left} s left`}`
  );
}

/** The ETA in seconds of a download, or null before its speed is known. */
export function downloadEtaSec(d: DownloadProgress): number | null {
  return d.bytesPerSec > 0 ? Math.max(0, (d.totalBytes - d.bytes) / d.bytesPerSec) : null;
}
