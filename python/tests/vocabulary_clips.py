"""Recordings with rare names and jargon, spoken by Debian's espeak-ng in several voices and speeds, and how many of
their listed terms a transcript got right, or wrote where they were not spoken. Shared by test_vocabulary.py and
bench/vocabulary.py."""

from __future__ import annotations

import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

TERMS = [
    "Zyphrex", "Quorvane", "Thalvix", "Brenmoor", "Kestrava", "Ovidex", "Marquelle", "Velmora", "Caldrith",
    "Nimbrosa", "Ferrowen", "Sorvanti", "Halcyra", "Drovnik", "Pellucor", "Tarquinex", "Orlenza", "Jubrial",
]  # fmt: skip


def read_script(name: str) -> list[tuple[str, str, int]]:
    """A recordings' script (a TSV beside this file): text, espeak-ng voice, words a minute."""
    lines = (Path(__file__).parent / name).read_text().splitlines()[1:]
    return [(text, voice, int(speed)) for text, voice, speed in (line.split("\t") for line in lines)]


# 12 recordings, 36 occurrences, every term twice.
SCRIPT = read_script("vocabulary_script.tsv")

# Issue 27's recordings: real names, places and model names, in two voices: the two sentences a job got wrong ("Saoirse
# and Niamh visited ...", left out as a recited list; "The new Pixtral ...", given three names never said), then six
# sentences made mostly of listed terms. The vocabulary adds five terms that are never spoken.
NAMES_SCRIPT = read_script("vocabulary_names.tsv")
NEVER_SPOKEN = ["Zyphrex", "Quorvane", "Thalvix", "Brenmoor", "Kestrava"]
NAMES = [
    w for w in dict.fromkeys(re.findall(r"\b[A-Z][a-z]+", " ".join(t for t, _, _ in NAMES_SCRIPT))) if w != "The"
] + NEVER_SPOKEN
SAMPLE_RATE = 16000


@dataclass
class Clip:
    path: Path
    text: str
    terms: list[str]


def have_espeak() -> bool:
    return shutil.which("espeak-ng") is not None


def terms_in(text: str, terms: list[str] = TERMS) -> list[str]:
    """The listed terms a reference sentence holds, each occurrence once."""
    return [w for w in re.findall(r"[A-Za-z]+", text) if w in terms]


def make_clips(folder: Path, ffmpeg: str, script: list = SCRIPT, terms: list[str] = TERMS) -> list[Clip]:
    """Speak every line of `script` into a 16 kHz mono WAV (the form the decode stage writes)."""
    folder.mkdir(parents=True, exist_ok=True)
    clips = []
    for i, (text, voice, speed) in enumerate(script):
        raw, out = folder / f"raw{i:02d}.wav", folder / f"clip{i:02d}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(raw), text], check=True)
        subprocess.run(
            [ffmpeg, "-v", "error", "-y", "-i", str(raw), "-ar", str(SAMPLE_RATE), "-ac", "1", str(out)], check=True
        )
        clips.append(Clip(out, text, terms_in(text, terms)))
    return clips


def read_samples(path: Path) -> np.ndarray:
    with wave.open(str(path)) as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)


def join_clips(clips: list[Clip], target: Path, gap_sec: float = 1.5) -> list[tuple[float, float]]:
    """One long recording of every clip with `gap_sec` of silence between; returns each clip's (start, end)."""
    gap = np.zeros(int(gap_sec * SAMPLE_RATE), dtype=np.int16)
    parts, ranges, t = [], [], 0.0
    for clip in clips:
        samples = read_samples(clip.path)
        ranges.append((t, t + len(samples) / SAMPLE_RATE))
        parts += [samples, gap]
        t += (len(samples) + len(gap)) / SAMPLE_RATE
    with wave.open(str(target), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(np.concatenate(parts).tobytes())
    return ranges


def hits(expected: list[str], transcript: str) -> int:
    """How many of the expected occurrences the transcript spells right (case-insensitive, whole words)."""
    found = [w.lower() for w in re.findall(r"[A-Za-z]+", transcript)]
    return sum(min(expected.count(term), found.count(term.lower())) for term in set(expected))


def hits_by_clip(words: list[dict], clips: list[Clip], ranges: list[tuple[float, float]]) -> list[int]:
    """For a joined recording: per clip, how many of its terms the words timed inside its range spell right."""
    out = []
    for clip, (start, end) in zip(clips, ranges, strict=True):
        inside = " ".join(w["word"] for w in words if start - 0.5 <= (w["start"] + w["end"]) / 2 <= end + 0.5)
        out.append(hits(clip.terms, inside))
    return out


def unspoken(expected: list[str], transcript: str, terms: list[str]) -> list[str]:
    """The listed terms the transcript writes more often than they were spoken (each extra occurrence once)."""
    found = [w.lower() for w in re.findall(r"[A-Za-z]+", transcript)]
    spoken = [w.lower() for w in expected]
    return [t for t in terms for _ in range(max(0, found.count(t.lower()) - spoken.count(t.lower())))]
