// The programs that read our files back in the writers' tests, none of them ours: pandoc (DOCX, Markdown), ffmpeg's
// lrc demuxer and libass subtitles filter (the bundled ffmpeg), pysubs2 and Python's csv module (python/.venv),
// xmllint (FCPXML against the DTD). A missing one fails the test with how to install it.
import { execFileSync, spawnSync } from 'node:child_process';
import { DEFAULT_PYTHON } from '../../../../src/platform/python/location.js';
import { ffmpegPath } from '../../../helpers/ffmpeg.js';

/** Run `cmd` and return its stdout; a program that is not installed is named with its Debian package. */
export function run(cmd: string, args: string[], input?: string | Uint8Array): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
    throw new Error(`${cmd} is not installed (Debian: apt-get install ${PACKAGES[cmd] ?? cmd})`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

const PACKAGES: Record<string, string> = { pandoc: 'pandoc', xmllint: 'libxml2-utils' };

/** Python in the stage environment running `code` with `args`; its stdout. */
export function python(code: string, ...args: string[]): string {
  return execFileSync(DEFAULT_PYTHON, ['-c', code, ...args], { encoding: 'utf8' });
}

/** ffmpeg (the bundled one) with `args`; its stdout and stderr. */
export function ffmpegRun(args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync(ffmpegPath(), ['-nostdin', '-hide_banner', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** ffmpeg's output as raw bytes (a frame, for example). */
export function ffmpegBytes(args: string[]): Buffer {
  return execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', ...args], { maxBuffer: 64 << 20 });
}

/** Seconds of an SRT/LRC-style clock: [hh:]mm:ss[.,]fff. */
export function clockSec(text: string): number {
  const parts = text.replace(',', '.').split(':').map(Number);
  return parts.reduce((t, p) => t * 60 + p, 0);
}
