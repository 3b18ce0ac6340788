// Which ASR backends to try, in order, for a job's `backend` setting on this machine.
import { arch, platform } from 'node:os';
import type { AsrBackend } from '../core/contract.js';
import type { OpenAiSettings } from '../config/openaiSettings.js';

export function isAppleSilicon(os: NodeJS.Platform = platform(), cpu: string = arch()): boolean {
  return os === 'darwin' && cpu === 'arm64';
}

/** Backends that run on another machine: a failure there says nothing of the local ones. */
export function isRemote(backend: AsrBackend): boolean {
  return backend === 'openai';
}

/**
 * `auto` means MLX first on Apple Silicon, then faster-whisper; `mlx` falls back to faster-whisper; `openai` falls
 * back to the local chain of `backends.openai.fallback` (none when it is null); `faster-whisper` stands alone.
 */
export function asrChain(
  setting: 'auto' | AsrBackend,
  appleSilicon = isAppleSilicon(),
  fallback: OpenAiSettings['fallback'] = 'auto',
): AsrBackend[] {
  if (setting === 'openai') return ['openai', ...(fallback ? asrChain(fallback, appleSilicon) : [])];
  if (setting === 'mlx') return ['mlx', 'faster-whisper'];
  if (setting === 'faster-whisper') return ['faster-whisper'];
  return appleSilicon ? ['mlx', 'faster-whisper'] : ['faster-whisper'];
}

/**
 * The warning a config gets at start (once, not per job) when a setting asks for mlx off Apple Silicon: MLX's CPU
 * backend (Linux x86_64, a clone's tests) is several times slower than faster-whisper; elsewhere mlx is not installed
 * and every job falls back to faster-whisper, saying so.
 */
export function mlxOffAppleSilicon(
  backends: (string | null | undefined)[],
  os: NodeJS.Platform = platform(),
  cpu: string = arch(),
): string | undefined {
  if (isAppleSilicon(os, cpu) || !backends.includes('mlx')) return undefined;
  return (
    `backend "mlx" on ${os} ${cpu}: MLX is made for Apple Silicon; here it runs on its CPU backend, several times ` +
    'slower than faster-whisper, where installed (a clone on Linux x86_64), and jobs fall back to faster-whisper elsewhere'
  );
}
