// doctor's mlx-whisper check: versions, device, BLAS and converted models; the reference BLAS is a problem.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkMlx } from '../../../src/cli/doctorMlx.js';

const mlx = {
  version: '0.32.4',
  device: 'cpu' as const,
  blas: '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so',
  converted: { base: '/m/mlx/whisper-base-float32' },
};

test('MLX on OpenBLAS with a converted model: its versions, BLAS and model are shown', () => {
  const c = checkMlx(mlx, '0.4.3', true);
  assert.equal(c.ok, true);
  assert.match(
    c.detail,
    /mlx-whisper 0\.4\.3, MLX 0\.32\.4 on the CPU, BLAS .*libopenblasp.*; converted base at \/m\/mlx/,
  );
});

test('the reference BLAS of the mlx[cpu] wheel, or no converted model, is a problem with its fix', () => {
  const slow = checkMlx({ ...mlx, blas: '/venv/mlx_cpu.libs/libblas-bd8a282c.so.3.10.0' }, '0.4.3', true);
  assert.equal(slow.ok, false);
  assert.match(slow.fix ?? '', /libopenblas0-pthread/);
  assert.equal(checkMlx({ ...mlx, converted: {} }, '0.4.3', false).ok, false);
  assert.equal(checkMlx({ ...mlx, device: 'gpu', blas: 'Accelerate' }, '0.4.3', false).ok, true);
});

test('not installed: optional unless a job setting asks for mlx', () => {
  assert.equal(checkMlx(null, null, false).optional, true);
  assert.equal(checkMlx(null, null, true).optional, false);
});
