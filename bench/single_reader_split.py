"""Issue 31 point 6: does the rule that splits "two alike voices taking turns" (speaker_clusters.LIKE_VOICE) split
one reader? Single-speaker recordings made from each corpus reader, cut into turns at the reader's own pauses
(0.3 s or more), the turns in a shuffled order (repeated to about `--seconds`), 0.3-3 s apart, each at its own
level (-9..0 dB, or --level-db): what a dictation or a lecture with pauses looks like to the clusterer. Each recording goes through
the vad stage (its defaults) and the diarize stage (speakers auto: 1-8, hop 0.5 s), words tiled over the speech as
test_diarize.py does without a recognizer.
Prints one JSON object: per recording the speakers found (and the confidence of a split); and the false-split rate.

  python/.venv/bin/python bench/single_reader_split.py --seeds 4
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "python" / "tests"))
sys.path.insert(0, str(REPO / "python"))

from conftest import CORPUS, manifest
from conversations import speech_runs
from dropscribe_stages.media.audio import SAMPLE_RATE, write_wav_atomic
from dropscribe_stages.speakers.clusters import LIKE_VOICE
from test_diarize import diarize_file


def single_reader(
    x: np.ndarray, seed: int, seconds: float, level_db: float
) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """One reader's clip as a recording of its turns in a shuffled order, with pauses and levels (each turn's drawn
    from -level_db..0 dB); and the turns."""
    rng = np.random.default_rng(seed)
    pieces = [x[a:b] for a, b in speech_runs(x) if b - a >= 0.4 * SAMPLE_RATE] or [x]
    audio, turns, t = [np.zeros(SAMPLE_RATE // 2, np.float32)], [], 0.5
    while t < seconds:
        for k in rng.permutation(len(pieces)):
            piece = pieces[k] * 10 ** (rng.uniform(-level_db, 0) / 20)
            turns.append((t, t + len(piece) / SAMPLE_RATE))
            audio.append(piece.astype(np.float32))
            gap = int(rng.uniform(0.3, 3.0) * SAMPLE_RATE)
            audio.append(np.zeros(gap, np.float32))
            t += (len(piece) + gap) / SAMPLE_RATE
    return np.concatenate(audio), turns


def main() -> int:
    from faster_whisper import decode_audio

    p = argparse.ArgumentParser()
    p.add_argument("--seeds", type=int, default=4)
    p.add_argument("--seconds", type=float, default=45.0)
    p.add_argument(
        "--level-db",
        type=float,
        default=9.0,
        help="each turn's level varies by up to this much",
    )
    args = p.parse_args()
    rows = []
    work = Path(tempfile.mkdtemp(prefix="single-reader-"))
    for name in sorted(manifest()):
        x = decode_audio(str(CORPUS / name), sampling_rate=SAMPLE_RATE)
        for seed in range(args.seeds):
            audio, turns = single_reader(x, seed, args.seconds, args.level_db)
            folder = work / f"{Path(name).stem}-{seed}"
            folder.mkdir()
            write_wav_atomic(folder / "reader.wav", audio)
            found = diarize_file(str(folder / "reader.wav"), folder, recognised=False)
            rows.append(
                {
                    "reader": name,
                    "seed": seed,
                    "sec": round(len(audio) / SAMPLE_RATE, 1),
                    "turns": len(turns),
                    "speakers": len(found["speakers"]),
                    "confidence": found["confidence"],
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    split = [r for r in rows if r["speakers"] > 1]
    print(
        json.dumps(
            {
                "likeVoice": LIKE_VOICE,
                "levelDb": args.level_db,
                "recordings": len(rows),
                "split": len(split),
                "falseSplitRate": round(len(split) / len(rows), 4),
                "rows": rows,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
