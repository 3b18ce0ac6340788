// How much memory a stage will need: a starting table per (stage, backend, model), then learned from
// measured peak RSS of real runs (p95 of recent peaks x 1.25).
const MiB = 1024 ** 2;

const MODEL_PEAKS: Record<string, number> = {
  tiny: 450 * MiB,
  base: 600 * MiB,
  small: 1200 * MiB,
  medium: 2800 * MiB,
  large: 4500 * MiB,
  turbo: 2500 * MiB,
};

/** The table guess for a stage before anything was measured. */
export function tablePeak(stage: string, backend: string | null, model: string | null): number {
  switch (stage) {
    case 'decode':
      return 250 * MiB;
    case 'vad':
      return 350 * MiB;
    case 'separate':
      return 3500 * MiB;
    case 'align':
      return backend === 'whisperx' ? 3000 * MiB : 200 * MiB;
    case 'transcribe': {
      const name = (model ?? 'small').toLowerCase();
      const key = name.includes('turbo')
        ? 'turbo'
        : (Object.keys(MODEL_PEAKS).find((k) => name.includes(k)) ?? 'large');
      const peak = MODEL_PEAKS[key]!;
      // MLX x1.3 is a guess for Metal, not yet measured on a Mac. Measured on MLX's CPU backend (Linux, float32 weights,
      // test/e2e/mlxBackend.test.ts): base peaked at 720 MiB against faster-whisper's 665 MiB (float32), x1.08.
      return backend === 'mlx' ? Math.round(peak * 1.3) : peak;
    }
    default:
      return 500 * MiB;
  }
}

/** p95 of the measured peaks x 1.25, or undefined with fewer than 3 measurements. */
export function learnedPeak(measured: number[]): number | undefined {
  if (measured.length < 3) return undefined;
  const sorted = [...measured].sort((a, b) => a - b);
  const p95 = sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
  return Math.round(p95 * 1.25);
}
