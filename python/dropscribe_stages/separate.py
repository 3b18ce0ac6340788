"""separate: keep the vocals of a recording with demucs (music and noise removed), as 16 kHz mono WAV."""

from __future__ import annotations

import shutil
from pathlib import Path

from .decode import to_wav
from .errors import BadInput
from .protocol import Channel
from .transcribe import require_module


def run(request: dict, channel: Channel) -> dict:
    require_module("demucs.separate", "install it with `python/.venv/bin/pip install 'demucs>=4'` or turn separation off")
    from demucs.separate import main as demucs_main

    out_dir = Path(request["outDir"])
    scratch = out_dir / "demucs"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    model = request["model"]
    channel.progress(0.0, f"separating vocals with demucs {model}")
    demucs_main(["--two-stems", "vocals", "-n", model, "-d", "cpu", "-o", str(scratch),
                 "--filename", "{stem}.{ext}", request["audio"]])
    vocals = scratch / model / "vocals.wav"
    if not vocals.is_file():
        raise BadInput(f"demucs produced no vocals track (looked for {vocals})")
    target = out_dir / "vocals.wav"
    to_wav(vocals, target, None, channel)
    shutil.rmtree(scratch, ignore_errors=True)
    return {"audio": str(target), "model": model}
