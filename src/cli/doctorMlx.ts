// `doctor` check of the mlx backend: mlx-whisper's and MLX's versions, the device, the BLAS of MLX's CPU backend
// (OpenBLAS, not the wheel's reference BLAS: 6-7x slower) and the bundled models converted to MLX weights.
import type { MlxInfo } from '../core/doctorReport.js';
import type { Check } from './check.js';

const OPENBLAS_FIX =
  'install OpenBLAS (Debian, Ubuntu: `sudo apt install libopenblas0-pthread`); the stage preloads it, or set DROPSCRIBE_OPENBLAS to its path';

/** Whether MLX runs on OpenBLAS (or Metal and Accelerate); the reference BLAS makes the CPU backend crawl. */
export function fastBlas(mlx: MlxInfo): boolean {
  return mlx.device === 'gpu' || mlx.blas === 'Accelerate' || /openblas/i.test(mlx.blas);
}

/** Optional unless a job setting asks for mlx: without it the mlx backend falls back to faster-whisper. */
export function checkMlx(mlx: MlxInfo | null | undefined, mlxWhisper: string | null, required: boolean): Check {
  if (!mlx || !mlxWhisper) {
    return {
      name: 'mlx-whisper',
      ok: false,
      optional: !required,
      detail: 'not installed (faster-whisper is used)',
      fix: 'on Apple Silicon run `npm install` again; it installs the mlx extra',
    };
  }
  const converted = Object.entries(mlx.converted);
  const blasOk = fastBlas(mlx);
  const detail =
    `mlx-whisper ${mlxWhisper}, MLX ${mlx.version} on ${mlx.device === 'gpu' ? 'Metal' : 'the CPU'}, BLAS ${mlx.blas}; ` +
    (converted.length ? `converted ${converted.map(([n, p]) => `${n} at ${p}`).join('; ')}` : 'no converted model');
  return {
    name: 'mlx-whisper',
    ok: blasOk && converted.length > 0,
    optional: !required,
    detail,
    fix: !blasOk
      ? OPENBLAS_FIX
      : converted.length
        ? undefined
        : 'run `dropscribe setup --force` (it converts the bundled models)',
  };
}
