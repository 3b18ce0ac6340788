// A video's frame rate for FCPXML, read from the recording with the stages' ffmpeg (python -m
// dropscribe_stages.media.ffmpeg_locator finds it: bundled unless a newer system one) when the transcript does not hold it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { PYTHON_DIR } from '../platform/paths.js';

let ffmpeg: string | undefined;

/** The frames a second of the first video stream that is not cover art, as ffmpeg reports it; undefined for audio,
 * a recording that is gone, or an ffmpeg that cannot be found. */
export function videoFrameRate(input: string, python: string): number | undefined {
  if (!existsSync(input)) return undefined;
  try {
    ffmpeg ??= execFileSync(python, ['-m', 'dropscribe_stages.media.ffmpeg_locator'], {
      cwd: PYTHON_DIR,
      env: { ...process.env, PYTHONPATH: PYTHON_DIR },
      encoding: 'utf8',
      timeout: 30_000,
    }).trim();
  } catch {
    return undefined;
  }
  // Without an output ffmpeg exits 1 after describing the input: the description is what is wanted.
  const info = spawnSync(ffmpeg, ['-nostdin', '-hide_banner', '-i', input], { encoding: 'utf8', timeout: 30_000 });
  return frameRateIn(info.stderr ?? '');
}

/** The frame rate in ffmpeg's description of an input ("Stream #0:0: Video: h264, ..., 29.97 fps, ..."). */
export function frameRateIn(description: string): number | undefined {
  for (const line of description.split('\n')) {
    if (!/Stream #.*: Video:/.test(line) || line.includes('(attached pic)')) continue;
    const fps = /, (\d+(?:\.\d+)?) fps/.exec(line);
    if (fps) return Number(fps[1]);
  }
  return undefined;
}
