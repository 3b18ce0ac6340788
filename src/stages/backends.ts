// Which ASR backends to try, in order, for a job's `backend` setting on this machine.
import { arch, platform } from 'node:os';
import type { AsrBackend } from '../contract.js';

export function isAppleSilicon(os: NodeJS.Platform = platform(), cpu: string = arch()): boolean {
  return os === 'darwin' && cpu === 'arm64';
}

/** `auto` means MLX first on Apple Silicon, then faster-whisper; a named backend still falls back to the other. */
export function asrChain(setting: 'auto' | AsrBackend, appleSilicon = isAppleSilicon()): AsrBackend[] {
  if (setting === 'mlx') return ['mlx', 'faster-whisper'];
  if (setting === 'faster-whisper') return ['faster-whisper'];
  return appleSilicon ? ['mlx', 'faster-whisper'] : ['faster-whisper'];
}
