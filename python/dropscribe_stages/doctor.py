"""python -m dropscribe_stages.doctor: what this Python environment can do, as one JSON object."""

from __future__ import annotations

import importlib
import json
import platform
import sys
from dataclasses import asdict


def version_of(module: str) -> str | None:
    try:
        mod = importlib.import_module(module)
    except Exception:  # noqa: BLE001 - any import failure means "not usable"
        return None
    return str(getattr(mod, "__version__", "installed"))


# Optional stages: the module the stage itself imports (which pulls torch and the rest), and the packages to report.
OPTIONAL_STAGES = {
    "whisperx": ("whisperx.alignment", ("whisperx", "torch", "torchaudio", "transformers")),
    "demucs": ("demucs.separate", ("demucs", "torch")),
}


def dist_version(dist: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return None


def stage_import(entry: str, dists: tuple[str, ...]) -> dict:
    """Really import what an optional stage runs: a package can be installed yet fail to import (torch, CUDA
    libraries)."""
    try:
        importlib.import_module(entry)
    except Exception as exc:  # noqa: BLE001 - any failure means the stage cannot run; the message says why
        return {
            "imports": False,
            "installed": dist_version(dists[0]) is not None,
            "error": f"{type(exc).__name__}: {exc}"[:400],
        }
    return {"imports": True, "installed": True, "versions": {d: dist_version(d) or "unknown" for d in dists}}


def ffmpeg_report() -> dict | None:
    """The ffmpeg decode uses: path, version, and source (bundled, system or DROPSCRIBE_FFMPEG)."""
    from .ffmpeg_locator import find_ffmpeg

    found = find_ffmpeg()
    return asdict(found) if found else None


def main() -> None:
    from .models import bundled_models
    from .speaker_model import model_report

    report = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "modules": {
            m: version_of(m)
            for m in (
                "faster_whisper",
                "ctranslate2",
                "onnxruntime",
                "av",
                "jsonschema",
                "mlx_whisper",
                "whisperx",
                "demucs",
            )
        },
        "optionalStages": {name: stage_import(entry, dists) for name, (entry, dists) in OPTIONAL_STAGES.items()},
        "offlineModels": {name: str(path) for name, path in bundled_models().items()},
        "ffmpeg": ffmpeg_report(),
        "speakerModel": model_report(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
