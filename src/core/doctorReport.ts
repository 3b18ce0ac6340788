// The part of the contract for `dropscribe doctor`: the report `python -m dropscribe_stages.runtime.doctor` prints about its
// environment (src/core/contract.ts puts it in the generated schema; the Python side checks its report against it).
import { z } from 'zod';

const version = z.string().nullable().describe('the version it reports, or null when it does not import');

/** A real import of what an optional stage runs: a package can be installed yet fail to import (torch, CUDA). */
export const StageImport = z.object({
  imports: z.boolean(),
  installed: z.boolean(),
  versions: z.record(z.string(), z.string()).nullable().describe('of its packages, when it imports'),
  error: z.string().nullable().describe('why it does not import'),
});
export type StageImport = z.infer<typeof StageImport>;

/** The ffmpeg the decode stage runs: bundled, a newer system one, or the one DROPSCRIBE_FFMPEG names. */
export const FfmpegInfo = z.object({
  path: z.string().min(1),
  version: z.string().nullable().describe('as `ffmpeg -version` names it; null: it does not run as ffmpeg'),
  source: z.enum(['bundled', 'system', 'DROPSCRIBE_FFMPEG']),
});
export type FfmpegInfo = z.infer<typeof FfmpegInfo>;

/** The diarize stage's speaker encoder: resemblyzer's pretrained.pt (sha256-checked) and its converted npz. */
export const SpeakerModel = z.object({
  path: z.string().nullable().describe("pretrained.pt's path; null: not installed"),
  sha256Ok: z.boolean(),
  converted: z.string().min(1).describe('where the converted npz is (or should be)'),
  convertedPresent: z.boolean(),
  error: z.string().nullable().describe('why the model is missing'),
});
export type SpeakerModel = z.infer<typeof SpeakerModel>;

/** MLX as the mlx backend runs it: its version, its device, the BLAS serving its CPU backend, the converted models. */
export const MlxInfo = z.object({
  version: z.string().min(1).describe("MLX's version"),
  device: z.enum(['cpu', 'gpu']).describe('gpu: Metal; cpu: the CPU backend (Linux, Intel)'),
  blas: z.string().min(1).describe("the library serving MLX's matrix products: OpenBLAS, the wheel's reference BLAS"),
  converted: z.record(z.string(), z.string()).describe('the bundled models converted to MLX weights: name to folder'),
});
export type MlxInfo = z.infer<typeof MlxInfo>;

export const DoctorReport = z.object({
  python: z.string().min(1).describe('the Python version'),
  executable: z.string().min(1),
  modules: z
    .object({
      faster_whisper: version,
      ctranslate2: version,
      onnxruntime: version,
      av: version,
      jsonschema: version,
      mlx_whisper: version,
      whisperx: version,
      demucs: version,
    })
    .describe('the Python modules the doctor imports (these names, as Python imports them)'),
  optionalStages: z.object({ whisperx: StageImport, demucs: StageImport }),
  offlineModels: z.record(z.string(), z.string()).describe('the bundled models: name to folder'),
  ffmpeg: FfmpegInfo.nullable().describe('null: no ffmpeg at all (PyAV decodes)'),
  speakerModel: SpeakerModel,
  mlx: MlxInfo.nullable().describe('null: mlx_whisper does not import'),
});
export type DoctorReport = z.infer<typeof DoctorReport>;
