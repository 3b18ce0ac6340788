"""separate: keep the vocals of a recording with demucs (music and noise removed), as 16 kHz mono WAV."""

from __future__ import annotations

import shutil
from pathlib import Path

from .media.decoding import to_wav
from .runtime.errors import BadInput, ConfigProblem, require_module
from .runtime.protocol import Channel
from .runtime.stage_requests import SeparateRequest
from .runtime.typed_json import JsonObject
from .weights.demucs_models import check_local_model, resolve_model


def run(request: SeparateRequest, channel: Channel) -> JsonObject:
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
