"""MLX's CPU backend runs on OpenBLAS (preloaded by mlx_runtime), not the reference BLAS its Linux wheel bundles."""

import subprocess
import sys

import pytest
from conftest import PYTHON_DIR

from dropscribe_stages.asr.mlx_runtime import is_openblas

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Metal and Accelerate on a Mac: nothing is preloaded")


def _in_child(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=PYTHON_DIR, capture_output=True, text=True, timeout=120, check=True
    )
    return out.stdout.strip()


def test_the_mlx_backend_loads_mlx_on_openblas():
    blas = _in_child("from dropscribe_stages.asr import mlx_runtime; print(mlx_runtime.load()[1].blas)")
    assert is_openblas(blas), f"MLX runs on {blas}: install libopenblas0-pthread (.ci/run does)"


def test_without_the_preload_mlx_would_run_on_the_wheels_reference_blas():
    blas = _in_child("import mlx.core; from dropscribe_stages.asr import mlx_runtime; print(mlx_runtime.blas())")
    assert "mlx_cpu.libs/libblas" in blas, blas
