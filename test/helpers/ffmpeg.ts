// The ffmpeg the stages use (python/dropscribe_stages/ffmpeg_locator.py: bundled unless a newer system one), for
// tests and fixtures that make media. Asked once per test process.
import { execFileSync } from 'node:child_process';
import { PYTHON_DIR } from '../../src/platform/paths.js';
import { DEFAULT_PYTHON } from '../../src/platform/python/location.js';

let found: string | undefined;

export function ffmpegPath(): string {
  found ??= execFileSync(DEFAULT_PYTHON, ['-m', 'dropscribe_stages.media.ffmpeg_locator'], {
    cwd: PYTHON_DIR,
    env: { ...process.env, PYTHONPATH: PYTHON_DIR },
    encoding: 'utf8',
  }).trim();
  return found;
}

/** Run ffmpeg quietly with `args` (after `-v error -y`); throws with ffmpeg's message when it fails. */
export function ffmpeg(args: string[]): void {
  execFileSync(ffmpegPath(), ['-nostdin', '-v', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}
