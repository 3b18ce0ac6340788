"""Diarize-stage speed and memory: a long recording built from corpus clips of three speakers, run through the
real stage function; prints seconds, real-time fraction, windows and peak RSS as JSON.

usage: python bench/diarize_measure.py MINUTES [OUT_DIR]   (run with python/.venv/bin/python)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from dropscribe_stages import diarize  # noqa: E402
from dropscribe_stages.media.audio import SAMPLE_RATE, read_wav  # noqa: E402
from dropscribe_stages.media.ffmpeg_locator import find_ffmpeg  # noqa: E402
from dropscribe_stages.runtime.protocol import peak_rss_bytes  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CLIPS = ["en_librivox_shakespeare_sonnet001.mp3", "jfk.flac", "en_librispeech_1272-128104-0000.wav"]


class Quiet:
    def progress(self, fraction, message=None):
        pass

    def warning(self, message):
        pass


def decode(name: str, folder: Path) -> np.ndarray:
    out = folder / f"{name}.wav"
    ffmpeg = find_ffmpeg().path
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", CORPUS / name, "-ac", "1", "-ar", "16000", out], check=True)
    return read_wav(out)


def main() -> None:
    minutes = float(sys.argv[1])
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tempfile.mkdtemp(prefix="diarize-bench-"))
    clips = [decode(n, folder) for n in CLIPS]
    audio = folder / "long.wav"
    spans, segments, t, k = [], [], 0.0, 0
    import wave

    with wave.open(str(audio), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        while t < minutes * 60:
            clip = clips[k % len(clips)]
            w.writeframes((clip * 32767).astype("<i2").tobytes() + b"\0\0" * (SAMPLE_RATE // 2))
            end = t + len(clip) / SAMPLE_RATE
            spans.append({"start": t, "end": end})
            words = [{"word": " w", "start": a, "end": a + 0.3, "probability": 0.9} for a in np.arange(t, end - 0.3, 0.3)]
            segments.append({"start": t, "end": end, "text": "w", "words": words})
            t = end + 0.5
            k += 1
    (folder / "in.json").write_text(json.dumps({"segments": segments}))
    request = {
        "audio": str(audio),
        "transcript": str(folder / "in.json"),
        "speech": spans,
        "minSpeakers": 1,
        "maxSpeakers": 8,
        "hopSec": 0.5,
        "voices": [],
        "outDir": str(folder / "out"),
    }
    started = time.process_time(), time.time()
    found = diarize.run(request, Quiet())
    cpu, wall = time.process_time() - started[0], time.time() - started[1]
    print(
        json.dumps(
            {
                "audioSec": round(t, 1),
                "cpuSec": round(cpu, 1),
                "wallSec": round(wall, 1),
                "cpuFractionOfAudio": round(cpu / t, 4),
                "windows": found["windowCount"],
                "speakers": len(found["speakers"]),
                "peakRssMb": round(peak_rss_bytes() / 2**20),
                "load": os.getloadavg(),
            }
        )
    )


if __name__ == "__main__":
    main()
