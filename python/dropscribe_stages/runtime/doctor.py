"""python -m dropscribe_stages.runtime.doctor: what this Python environment can do, as one JSON object.

The report is the contract's doctorReport (src/core/doctorReport.ts): the modules it names are the ones imported
here, and the report is checked against the generated schema before it is printed.
"""

from __future__ import annotations

import functools
import importlib
import json
import platform
import sys
from dataclasses import dataclass

from ..media.ffmpeg_locator import Ffmpeg, find_ffmpeg
from ..speakers.model import SpeakerModel, model_report
from .contract import SCHEMA
from .errors import EXIT_BUG
from .typed_json import schema_problem, to_json

# The modules to report: the contract names them (their import names).
MODULES: tuple[str, ...] = tuple(SCHEMA["doctorReport"]["properties"]["modules"]["required"])

# Optional stages: the module the stage itself imports (which pulls torch and the rest), and the packages to report.
OPTIONAL_STAGES = {
    "whisperx": ("whisperx.alignment", ("whisperx", "torch", "torchaudio", "transformers")),
    "demucs": ("demucs.separate", ("demucs", "torch")),
}


@dataclass(frozen=True)
class StageImport:
    """Whether an optional stage's module really imports: with its packages' versions, or why not."""

    imports: bool
    installed: bool
    versions: dict[str, str] | None
    error: str | None


@dataclass(frozen=True)
class MlxInfo:
    version: str
    device: str
    blas: str
    converted: dict[str, str]


@dataclass(frozen=True)
class DoctorReport:
    python: str
    executable: str
    modules: dict[str, str | None]
    optional_stages: dict[str, StageImport]
    offline_models: dict[str, str]
    ffmpeg: Ffmpeg | None
    speaker_model: SpeakerModel
    mlx: MlxInfo | None


def mlx_report() -> MlxInfo | None:
    """MLX as the mlx backend loads it (OpenBLAS first, so call this before anything imports mlx), and the bundled
    models converted for it; None when mlx_whisper does not import."""
    from ..asr import mlx_runtime
    from ..weights import mlx_weights
    from ..weights.models import bundled_models

    try:
        _, runtime = mlx_runtime.load()
    except Exception:  # noqa: BLE001 - any import failure means the mlx backend falls back
        return None
    folders = {name: mlx_weights.converted_folder(name, runtime.dtype) for name in bundled_models()}
    converted = {name: str(folder) for name, folder in folders.items() if mlx_weights.is_converted(folder)}
    return MlxInfo(version=runtime.version, device=runtime.device, blas=runtime.blas, converted=converted)


def version_of(module: str) -> str | None:
    """The installed version of an importable module: its distribution's (jsonschema deprecates `__version__`), else
    the module's own `__version__`; None when it does not import."""
    try:
        mod = importlib.import_module(module)
    except Exception:  # noqa: BLE001 - any import failure means "not usable"
        return None
    for dist in distributions_of().get(module.split(".")[0], []):
        found = dist_version(dist)
        if found:
            return found
    return str(getattr(mod, "__version__", "installed"))


@functools.cache
def distributions_of() -> dict[str, list[str]]:
    """Import name -> the distributions that install it."""
    from importlib.metadata import packages_distributions

    return dict(packages_distributions())


def dist_version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def stage_import(entry: str, dists: tuple[str, ...]) -> StageImport:
    """Really import what an optional stage runs: a package can be installed yet fail to import (torch, CUDA
    libraries)."""
    try:
        importlib.import_module(entry)
    except Exception as exc:  # noqa: BLE001 - any failure means the stage cannot run; the message says why
        return StageImport(
            imports=False,
            installed=dist_version(dists[0]) is not None,
            versions=None,
            error=f"{type(exc).__name__}: {exc}"[:400],
        )
    versions = {d: dist_version(d) or "unknown" for d in dists}
    return StageImport(imports=True, installed=True, versions=versions, error=None)


def report() -> DoctorReport:
    from ..weights.models import bundled_models

    mlx = mlx_report()  # before version_of imports mlx_whisper
    return DoctorReport(
        python=platform.python_version(),
        executable=sys.executable,
        modules={m: version_of(m) for m in MODULES},
        optional_stages={name: stage_import(entry, dists) for name, (entry, dists) in OPTIONAL_STAGES.items()},
        offline_models={name: str(path) for name, path in bundled_models().items()},
        ffmpeg=find_ffmpeg(),
        speaker_model=model_report(),
        mlx=mlx,
    )


def main() -> int:
    value = to_json(report())
    problem = schema_problem(SCHEMA["doctorReport"], value)
    if problem is not None:
        print(f"the doctor report does not match the contract ({problem})", file=sys.stderr)
        return EXIT_BUG
    print(json.dumps(value))
    return 0


if __name__ == "__main__":
    sys.exit(main())
