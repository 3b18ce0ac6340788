"""The demucs model of the separate stage: a name for demucs' own lookup, or a local folder or file checked first."""

from __future__ import annotations

from pathlib import Path

from ..runtime.errors import ConfigProblem

MODEL_SUFFIXES = (".th", ".yaml")


def looks_like_path(model: str) -> bool:
    return not model.startswith("hf://") and ("/" in model or "\\" in model or model.startswith((".", "~")))


def resolve_model(model: str) -> tuple[str, Path | None]:
    """A model name for demucs' own lookup (Hugging Face cache, torch hub cache, download), or a local repo.

    A local model is a folder holding one model (`<name>.th`, or a bag `<name>.yaml` with its `.th` files), or the
    path of such a file. Returns (name, repo folder or None).
    """
    if not looks_like_path(model):
        return model, None
    path = Path(model).expanduser()
    if path.is_file():
        if path.suffix not in MODEL_SUFFIXES:
            raise ConfigProblem(f"demucs model file {path} is not a .th model or a .yaml bag of models")
        return signature(path), path.parent
    if not path.is_dir():
        raise ConfigProblem(
            f"demucs model folder {path} does not exist (separateModel is a model name or a local folder)"
        )
    bags = sorted(p for p in path.iterdir() if p.suffix == ".yaml")
    singles = sorted(p for p in path.iterdir() if p.suffix == ".th")
    candidates = bags if bags else singles
    if len(candidates) != 1:
        found = ", ".join(p.name for p in candidates) or "no .th or .yaml file"
        raise ConfigProblem(
            f"demucs model folder {path} must hold exactly one model ({found}); "
            "name the model file itself in separateModel"
        )
    return signature(candidates[0]), path


def signature(file: Path) -> str:
    """demucs names a `<sig>-<checksum>.th` file by its signature alone."""
    return file.stem.rsplit("-", 1)[0] if file.suffix == ".th" and "-" in file.stem else file.stem


def check_local_model(name: str, repo: Path) -> None:
    """Load the local model once so a missing or corrupt file is reported as such, naming the folder."""
    from demucs.pretrained import get_model

    try:
        get_model(name, repo=repo)
    except SystemExit as exc:
        raise ConfigProblem(f"demucs model {name!r} in {repo} could not be loaded (exit status {exc.code})") from exc
    except Exception as exc:  # noqa: BLE001 - a truncated or foreign file fails in pickle, torch or yaml
        raise ConfigProblem(
            f"demucs model {name!r} in {repo} could not be loaded: {type(exc).__name__}: {exc}"
        ) from exc
