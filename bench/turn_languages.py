"""Issue 31 point 4: what finding each turn's language costs a one-language recording.

The ~12-minute English recording of the window benches (the corpus's English clips, five rounds, 2 s pauses), Silero
VAD once, then the transcribe stage (faster-whisper, base, language not forced) in alternating rounds: this tree's
stages, then the stages of `--base` (a folder holding python/dropscribe_stages from before issue 31, e.g.
`git archive <commit> python/dropscribe_stages | tar -x -C /tmp/base`), each in a fresh process as the daemon runs it.
Prints one JSON object: each round's wall and CPU seconds (the CPU time of a shared machine is the steadier one),
and the text's WER against the reference of both.

  python/.venv/bin/python bench/turn_languages.py --base /tmp/base [--tree /tmp/new] --rounds 2
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "python" / "tests"))
sys.path.insert(0, str(REPO / "python"))

from conftest import CORPUS, full_request, manifest, wer

ROUND = [
    "en_librivox_shakespeare_sonnet001.mp3",
    "jfk.flac",
    "en_librispeech_1272-128104-0000.wav",
    "en_cmu_arctic_a0024.wav",
    "en_librivox_shakespeare_sonnet001.mp3",
    "jfk.flac",
    "en_librispeech_1272-128104-0000.wav",
]


def twelve_minutes(out: Path) -> str:
    """Write the recording (16 kHz WAV) and return its reference text."""
    import numpy as np
    from dropscribe_stages.media.audio import SAMPLE_RATE, write_wav_atomic
    from faster_whisper import decode_audio

    files = ROUND * 5
    clips = {
        f: decode_audio(str(CORPUS / f), sampling_rate=SAMPLE_RATE) for f in set(files)
    }
    pause = np.zeros(2 * SAMPLE_RATE, np.float32)
    write_wav_atomic(out, np.concatenate([x for f in files for x in (clips[f], pause)]))
    return " ".join(manifest()[f]["reference_transcript"] for f in files)


def run_stage(python_dir: Path, stage: str, request: dict) -> tuple[dict, float, float]:
    """Run one stage from `python_dir`; its artifacts, wall seconds and CPU seconds."""
    read_fd, write_fd = os.pipe()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dropscribe_stages", stage],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        pass_fds=(write_fd, 3),
        env={**os.environ, "PYTHONPATH": str(python_dir), "HF_HUB_OFFLINE": "1"},
        text=True,
        preexec_fn=lambda: os.dup2(write_fd, 3),  # noqa: PLW1509 (no threads here)
    )
    os.close(write_fd)
    proc.stdin.write(json.dumps(full_request(stage, request)) + "\n")
    proc.stdin.flush()
    with os.fdopen(read_fd, "r", encoding="utf-8") as events:
        lines = events.read().splitlines()
    _, stderr = proc.communicate()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result = next((json.loads(x)["artifacts"] for x in lines if '"result"' in x), None)
    assert result is not None, stderr[-2000:]
    return result, wall, cpu


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument(
        "--base",
        required=True,
        help="a folder holding python/dropscribe_stages from before issue 31",
    )
    p.add_argument(
        "--tree",
        default=str(REPO),
        help="a folder holding python/dropscribe_stages with issue 31",
    )
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--work", default="/tmp/turn-languages-bench")
    args = p.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    audio = work / "twelve.wav"
    reference = twelve_minutes(audio)
    vad, _, _ = run_stage(
        REPO / "python",
        "vad",
        {
            "audio": str(audio),
            "outDir": str(work / "vad"),
            "threshold": 0.5,
            "minSilenceMs": 2000,
            "speechPadMs": 400,
        },
    )
    trees = {
        "issue 31": Path(args.tree) / "python",
        "before": Path(args.base) / "python",
    }
    rows = []
    for r in range(args.rounds):
        for name in ["issue 31", "before"] if r % 2 == 0 else ["before", "issue 31"]:
            request = {
                "audio": str(audio),
                "outDir": str(work / f"asr-{r}-{name.replace(' ', '')}"),
                "speech": vad["segments"],
                "backend": "faster-whisper",
                "model": "base",
                "language": None,
                "task": "transcribe",
                "wordTimestamps": True,
                "beamSize": 5,
                "cpuThreads": 2,
                "computeType": "int8",
                "languageMismatch": "warn",
            }
            result, wall, cpu = run_stage(trees[name], "transcribe", request)
            text = " ".join(
                s["text"]
                for s in json.loads(Path(result["transcript"]).read_text())["segments"]
            )
            rows.append(
                {
                    "round": r,
                    "tree": name,
                    "wallSec": round(wall, 1),
                    "cpuSec": round(cpu, 1),
                    "wer": round(wer(reference, text), 4),
                    "languages": result.get("languages"),
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    total = {n: sum(x["cpuSec"] for x in rows if x["tree"] == n) for n in trees}
    wall = {n: sum(x["wallSec"] for x in rows if x["tree"] == n) for n in trees}
    print(
        json.dumps(
            {
                "audioSec": round(vad["speechSec"], 1),
                "rows": rows,
                "cpuRatio": round(total["issue 31"] / total["before"], 4),
                "wallRatio": round(wall["issue 31"] / wall["before"], 4),
                "load": os.getloadavg(),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
