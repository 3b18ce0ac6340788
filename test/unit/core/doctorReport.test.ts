// The doctor report's schema: what `python -m dropscribe_stages.runtime.doctor` prints, checked field by field.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import { DoctorReport } from '../../../src/core/doctorReport.js';
import { SCHEMA_PATH } from '../../../src/cli/writeContractSchema.js';

const report = {
  python: '3.11.7',
  executable: '/venv/bin/python',
  modules: {
    faster_whisper: '1.2.1',
    ctranslate2: '4.8.5',
    onnxruntime: '1.32.0',
    av: '18.1.0',
    jsonschema: '4.26.0',
    mlx_whisper: null,
    whisperx: null,
    demucs: null,
  },
  optionalStages: {
    whisperx: { imports: false, installed: false, versions: null, error: "ModuleNotFoundError: No module named 'x'" },
    demucs: { imports: true, installed: true, versions: { demucs: '4.0.1', torch: '2.5.1' }, error: null },
  },
  offlineModels: { 'tiny.en': '/m/tiny.en', base: '/m/base' },
  ffmpeg: { path: '/bin/ffmpeg', version: '7.1.1', source: 'system' },
  speakerModel: {
    path: '/venv/resemblyzer/pretrained.pt',
    sha256Ok: true,
    converted: '/m/speaker-encoder.npz',
    convertedPresent: true,
    error: null,
  },
  mlx: null,
};

test('a report as the Python doctor prints it is read; no ffmpeg at all is null', () => {
  assert.deepEqual(DoctorReport.parse(report), report);
  assert.equal(DoctorReport.parse({ ...report, ffmpeg: null }).ffmpeg, null);
});

test('MLX as the mlx backend runs it: version, device, BLAS and the converted models; null without it', () => {
  const mlx = {
    version: '0.32.4',
    device: 'cpu',
    blas: '/usr/lib/libopenblasp-r0.3.21.so',
    converted: { base: '/m/b' },
  };
  assert.deepEqual(DoctorReport.parse({ ...report, mlx }).mlx, mlx);
  assert.ok(!DoctorReport.safeParse({ ...report, mlx: { ...mlx, device: 'npu' } }).success);
});

test('a module left out, a wrong type, an unknown ffmpeg source or no optional stages is refused', () => {
  const { demucs: _left, ...fewer } = report.modules;
  assert.ok(!DoctorReport.safeParse({ ...report, modules: fewer }).success);
  assert.ok(!DoctorReport.safeParse({ ...report, modules: { ...report.modules, av: 18 } }).success);
  const ffmpeg = { ...report.ffmpeg, source: 'homebrew' };
  assert.ok(!DoctorReport.safeParse({ ...report, ffmpeg }).success, 'the source is bundled, system or the variable');
  const { optionalStages: _none, ...noStages } = report;
  assert.ok(!DoctorReport.safeParse(noStages).success);
});

test('the doctor report is part of the generated schema the Python side checks its report against', () => {
  const generated = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { doctorReport: unknown };
  assert.deepEqual(generated.doctorReport, z.toJSONSchema(DoctorReport));
});
