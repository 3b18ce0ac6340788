"""Loading mlx-whisper: on Linux, MLX's CPU backend on OpenBLAS rather than the reference BLAS its wheel bundles.

The `mlx[cpu]` wheel links a reference BLAS (mlx_cpu.libs/libblas-*.so): an 11 s clip takes 98-121 s with it, about
17 s with OpenBLAS. `load()` loads OpenBLAS with RTLD_GLOBAL before mlx is imported, so the BLAS symbols MLX asks
for resolve there first (the global scope is searched before a library's own dependencies). `blas()` names the library
that really serves `cblas_sgemm` (dladdr), which doctor shows and CI asserts. On a Mac, MLX runs on Metal and
Accelerate, and nothing is preloaded.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

# Debian/Ubuntu's libopenblas0-pthread (the alternatives link), then its real folder; DROPSCRIBE_OPENBLAS overrides.
OPENBLAS_PATHS = (
    "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
    "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
    "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
    "/usr/lib64/libopenblas.so.0",
)

_preloaded: str | None = None


@dataclass(frozen=True)
class MlxRuntime:
    version: str
    device: str  # "cpu" or "gpu" (Metal)
    blas: str  # the file serving cblas_sgemm ("Accelerate" on a Mac)

    @property
    def metal(self) -> bool:
        return self.device == "gpu"

    @property
    def dtype(self) -> str:
        """The weights' dtype: float16 on Metal; float32 on the CPU backend, where float16 is very slow."""
        return "float16" if self.metal else "float32"


def openblas_path() -> str | None:
    wanted = os.environ.get("DROPSCRIBE_OPENBLAS")
    if wanted:
        return wanted if Path(wanted).is_file() else None
    for path in OPENBLAS_PATHS:
        if Path(path).is_file():
            return path
    return ctypes.util.find_library("openblas")


def preload_openblas(threads: int | None = None) -> str | None:
    """Load OpenBLAS into the global symbol scope (Linux, before mlx is imported); its path, or None when absent."""
    global _preloaded
    if _preloaded or sys.platform != "linux":
        return _preloaded
    path = openblas_path()
    if path is None:
        return None
    if threads:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    ctypes.CDLL(path, mode=ctypes.RTLD_GLOBAL)
    _preloaded = path
    return path


class _DlInfo(ctypes.Structure):
    _fields_ = [
        ("dli_fname", ctypes.c_char_p),
        ("dli_fbase", ctypes.c_void_p),
        ("dli_sname", ctypes.c_char_p),
        ("dli_saddr", ctypes.c_void_p),
    ]


def blas() -> str:
    """The library that serves `cblas_sgemm` to MLX in this process (after load())."""
    if sys.platform == "darwin":
        return "Accelerate"
    libdl = ctypes.CDLL(None)
    mlx_lib = _mlx_library()
    # MLX's own lookup: the global scope first, then its dependencies (the bundled reference BLAS).
    for scope in (libdl, ctypes.CDLL(str(mlx_lib)) if mlx_lib else None):
        if scope is None:
            continue
        try:
            address = ctypes.cast(scope.cblas_sgemm, ctypes.c_void_p).value
        except AttributeError:
            continue
        info = _DlInfo()
        if libdl.dladdr(ctypes.c_void_p(address), ctypes.byref(info)) and info.dli_fname:
            return os.path.realpath(info.dli_fname.decode())
    return "unknown"


def _mlx_library() -> Path | None:
    import mlx

    for folder in mlx.__path__:
        lib = Path(folder) / "lib" / "libmlx.so"
        if lib.is_file():
            return lib
    return None


def is_openblas(path: str) -> bool:
    return "openblas" in Path(path).name.lower()


def load(threads: int | None = None) -> tuple[ModuleType, MlxRuntime]:
    """Import mlx_whisper (OpenBLAS preloaded on Linux) and describe the runtime; ImportError when MLX is missing."""
    preload_openblas(threads)
    import mlx_whisper

    try:
        import mlx.core as mx
    except ImportError:  # a stand-in mlx_whisper (test fixtures) without MLX itself
        return mlx_whisper, MlxRuntime(version="none", device="cpu", blas="none")
    device = "gpu" if mx.metal.is_available() else "cpu"
    version = str(getattr(mx, "__version__"))  # noqa: B009 - mlx's stubs leave __version__ out
    return mlx_whisper, MlxRuntime(version=version, device=device, blas=blas())
