"""Shared pytest fixtures: corpus paths, a stage runner that speaks the real protocol, fake modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PYTHON_DIR = Path(__file__).resolve().parents[1]
REPO = PYTHON_DIR.parent
CORPUS = REPO.parent / "shared" / "corpus"
FAKE_MODULES = REPO / "test" / "fixtures" / "pymods"
NO_MLX = REPO / "test" / "fixtures" / "nomlx"  # hides a real mlx_whisper


def manifest() -> dict[str, dict]:
    lines = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").strip().splitlines()
    header = lines[0].split("\t")
    return {row[0]: dict(zip(header, row, strict=False)) for row in (line.split("\t") for line in lines[1:])}


def wer(reference: str, hypothesis: str) -> float:
    import re

    def norm(t: str) -> list[str]:
        return re.sub(r"[^\w\s]", " ", t.lower().replace("-", " ").replace("'", " ")).split()

    r, h = norm(reference), norm(hypothesis)
    prev = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        cur = [i]
        for j in range(1, len(h) + 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] != h[j - 1])))
        prev = cur
    return prev[-1] / max(1, len(r))


@dataclass
class StageRun:
    exit_code: int
    events: list[dict] = field(default_factory=list)
    stderr: str = ""

    @property
    def result(self) -> dict | None:
        return next((e["artifacts"] for e in self.events if e["event"] == "result"), None)

    @property
    def error(self) -> dict | None:
        return next((e for e in self.events if e["event"] == "error"), None)


def run_stage(
    stage: str, request: dict, *, fakes: bool = False, env: dict | None = None, timeout: float = 300
) -> StageRun:
    """Run `python -m dropscribe_stages <stage>` exactly as the daemon does: request on stdin, events on fd 3."""
    read_fd, write_fd = os.pipe()
    paths = [str(PYTHON_DIR)] + ([str(FAKE_MODULES)] if fakes else [])
    child_env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "HF_HUB_OFFLINE": "1", **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dropscribe_stages", stage],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pass_fds=(write_fd, 3),
        env=child_env,
        text=True,
        preexec_fn=lambda: os.dup2(write_fd, 3),
    )
    os.close(write_fd)
    proc.stdin.write(json.dumps(full_request(stage, request)) + "\n")
    proc.stdin.flush()
    with os.fdopen(read_fd, "r", encoding="utf-8") as events_in:
        # keep stdin open while the stage works (closing it means "parent gone")
        lines = events_in.read().splitlines()
    _, stderr = proc.communicate(timeout=timeout)
    events = [json.loads(line) for line in lines if line.strip()]
    return StageRun(exit_code=proc.returncode, events=events, stderr=stderr)


def full_request(stage: str, fields: dict) -> dict:
    """A stage's fields with what every request carries (job id, heartbeat) and the stage's name."""
    return {"jobId": "t", "heartbeatSeconds": 0.5, **fields, "stage": stage}


def typed_request(stage: str, fields: dict):
    """The typed request a stage's run() takes, as the protocol builds it from the line the daemon sends."""
    from dropscribe_stages.runtime.stage_requests import parse_request

    return parse_request(full_request(stage, fields), stage)


def run_ffmpeg(ffmpeg: str, *args: str | Path) -> Path:
    """Make test media with ffmpeg (quiet, overwriting): str arguments are split at spaces, Path arguments are kept
    whole. Returns the last argument, the output file."""
    argv = [ffmpeg, "-v", "error", "-y"]
    for arg in args:
        argv += arg.split() if isinstance(arg, str) else [str(arg)]
    subprocess.run(argv, check=True)
    return Path(args[-1])


def transcribe_request(audio: str, out_dir: Path, **overrides) -> dict:
    """A transcribe request as the daemon sends it with its defaults (faster-whisper, tiny.en, word timestamps, no
    vad spans); `overrides` replace any field."""
    return {
        "audio": audio,
        "outDir": str(out_dir),
        "speech": None,
        "backend": "faster-whisper",
        "model": "tiny.en",
        "language": None,
        "task": "transcribe",
        "wordTimestamps": True,
        "beamSize": 5,
        "cpuThreads": 0,
        "computeType": "int8",
        "languageMismatch": "warn",
        **overrides,
    }


def write_transcript(folder: Path, segments: list[tuple[float, float, str]]) -> str:
    """A transcript file as the transcribe stage writes it, segments (start, end, text) without words; its path."""
    path = folder / "transcript.json"
    rows = [{"start": start, "end": end, "text": text, "words": []} for start, end, text in segments]
    path.write_text(json.dumps({"segments": rows}))
    return str(path)


def align_request(audio: str, transcript: str, out_dir: Path, **overrides) -> dict:
    """An align request for English on the CPU; `overrides` replace any field (language, model, ...)."""
    return {
        "audio": audio,
        "transcript": transcript,
        "language": "en",
        "device": "cpu",
        "outDir": str(out_dir),
        **overrides,
    }


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    """The ffmpeg the stages run (the bundled one unless a newer system one), for making test media."""
    from dropscribe_stages.media.ffmpeg_locator import find_ffmpeg

    found = find_ffmpeg()
    assert found and found.version, "no runnable ffmpeg: python/.venv lacks imageio-ffmpeg (run npm install)"
    return found.path


@pytest.fixture
def decoded(tmp_path):
    """Decode a corpus clip to the 16 kHz WAV later stages read; returns its path."""

    def make(name: str) -> str:
        run = run_stage(
            "decode", {"source": str(CORPUS / name), "outDir": str(tmp_path / "decode"), "audioStream": None}
        )
        assert run.exit_code == 0, run.stderr
        return run.result["audio"]

    return make
