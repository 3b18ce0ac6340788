"""separate: keep the vocals of a recording with demucs (music and noise removed), as 16 kHz mono WAV."""

from __future__ import annotations

import shutil
from pathlib import Path

from .decode import to_wav
from .protocol import Channel
from .runtime.errors import BadInput, ConfigProblem, require_module
from .runtime.stage_requests import SeparateRequest

MODEL_SUFFIXES = (".th", ".yaml")


def run(request: SeparateRequest, channel: Channel) -> dict:
    require_module(
        "demucs.separate", "install it with `DROPSCRIBE_PY_EXTRAS=separate npm install` or turn separation off"
    )
    from demucs.separate import main as demucs_main

    out_dir = Path(request.out_dir)
    scratch = out_dir / "demucs"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    name, repo = resolve_model(request.model)
    repo_args = []
    if repo is not None:
        check_local_model(name, repo)
        repo_args = ["--repo", str(repo)]
    channel.progress(0.0, f"separating vocals with demucs {request.model}")
    options = ["--two-stems", "vocals", "-d", "cpu", "--filename", "{stem}.{ext}"]
    try:
        demucs_main([*options, "-n", name, *repo_args, "-o", str(scratch), request.audio])
    except SystemExit as exc:  # demucs reports a bad model or option with fatal() -> sys.exit
        raise ConfigProblem(
            f"demucs refused model {request.model!r} (exit status {exc.code}); see the stage log"
        ) from exc
    vocals = scratch / name / "vocals.wav"
    if not vocals.is_file():
        raise BadInput(f"demucs produced no vocals track (looked for {vocals})")
    target = out_dir / "vocals.wav"
    to_wav(vocals, target, None, channel)
    shutil.rmtree(scratch, ignore_errors=True)
    return {"audio": str(target), "model": request.model}


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
