"""Known voices: each enrolment sample decoded and embedded, and clusters named after the voices they match."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ..media.audio import PcmFile, pcm_output_args, wav_duration
from ..media.ffmpeg_locator import find_ffmpeg
from ..runtime.errors import BadInput, ConfigProblem
from .encoder import SpeakerEncoder
from .voice_windows import embed_clip

VOICE_MATCH = 0.80  # an enrolled voice names a speaker only when their vectors are at least this alike


def name_voices(centroids: np.ndarray, voices: list[tuple[str, np.ndarray]]) -> dict[int, str]:
    """Enrolled names for clusters, best pairs first, each name and cluster used once, only above VOICE_MATCH."""
    pairs = sorted(
        ((float(c @ v), k, name) for k, c in enumerate(centroids) for name, v in voices), key=lambda p: -p[0]
    )
    named: dict[int, str] = {}
    used: set[str] = set()
    for similarity, k, name in pairs:
        if similarity >= VOICE_MATCH and k not in named and name not in used:
            named[k] = name
            used.add(name)
    return named


def decode_voice(source: str, folder: Path) -> Path:
    """A voice sample (any format ffmpeg reads) as the 16 kHz mono WAV the encoder reads."""
    found = find_ffmpeg()
    if found is None:
        raise ConfigProblem("no ffmpeg to read the voice samples; run `npm install` again")
    target = folder / f"voice-{len(list(folder.iterdir()))}.wav"
    done = subprocess.run(
        [found.path, "-v", "error", "-y", "-i", source, *pcm_output_args("wav"), str(target)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if done.returncode != 0:
        raise BadInput(f"the voice sample {source} cannot be read: {done.stderr.strip()[-300:]}")
    return target


def enrol(voices: list[Any], encoder: SpeakerEncoder, hop: float) -> list[tuple[str, np.ndarray]]:
    """(name, voice vector) of each enrolment sample."""
    out: list[tuple[str, np.ndarray]] = []
    with tempfile.TemporaryDirectory(prefix="dropscribe-voices-") as folder:
        for voice in voices:
            wav = decode_voice(voice.audio, Path(folder))
            out.append((voice.name, embed_clip(PcmFile(wav), 0.0, wav_duration(wav), encoder, hop)))
    return out
