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


def ffmpeg_report() -> dict | None:
    """The ffmpeg decode uses: path, version, and source (bundled, system or DROPSCRIBE_FFMPEG)."""
    from .ffmpeg_locator import find_ffmpeg

    found = find_ffmpeg()
    return asdict(found) if found else None


def main() -> None:
    from .models import bundled_models

    report = {
        "python": platform.python_version(),
        "executable": sys.executable,
        "modules": {m: version_of(m) for m in ("faster_whisper", "ctranslate2", "onnxruntime", "av", "jsonschema",
                                                 "mlx_whisper", "whisperx", "demucs")},
        "offlineModels": {name: str(path) for name, path in bundled_models().items()},
        "ffmpeg": ffmpeg_report(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
