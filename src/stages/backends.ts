// Which ASR backends to try, in order, for a job's `backend` setting on this machine.
import { arch, platform } from 'node:os';
import type { AsrBackend } from '../contract.js';
import type { OpenAiSettings } from '../openaiSettings.js';

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
