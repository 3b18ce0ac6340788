"""Vocabulary benchmark: espeak-ng recordings with rare names (python/tests/vocabulary_clips.py), how often the
listed terms come out right with faster-whisper called directly (nothing, hotwords, an initial_prompt, both) and with
dropscribe's transcribe stage given the vocabulary; the same for the twelve clips joined into one long recording
(where a prompt alone reaches only the first 30 s window); and the pooled WER on ../shared/corpus with an unrelated
vocabulary against none. One model load for everything. Prints a Markdown report.

Run: python/.venv/bin/python bench/vocabulary.py [--model base]   (HF_HUB_OFFLINE=1, the bundled models)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "python"), str(REPO / "python" / "tests")]

from conftest import CORPUS, manifest, wer
from dropscribe_stages import transcribe as stage
from dropscribe_stages.asr import faster_whisper as backend
from dropscribe_stages.media.ffmpeg_locator import find_ffmpeg
from dropscribe_stages.runtime.protocol import Channel
from vocabulary_clips import TERMS, hits, hits_by_clip, join_clips, make_clips

# A vocabulary with nothing to do with the corpus (the recordings are a speech, a novel, sonnets, news).
UNRELATED = [
    "Kubernetes",
    "PostgreSQL",
    "Zyphrex",
    "Quorvane",
    "Grafana",
    "OAuth",
    "Terraform",
    "Nginx",
]


def request(
    audio: str, out_dir: Path, model: str, vocabulary: list[str] | None
) -> dict:
    return {
        "stage": "transcribe", "jobId": "bench", "outDir": str(out_dir), "heartbeatSeconds": 2, "audio": audio,
        "speech": None, "backend": "faster-whisper", "model": model, "language": None, "task": "transcribe",
        "wordTimestamps": True, "beamSize": 5, "cpuThreads": 0, "computeType": "int8", "languageMismatch": "warn",
        **({"vocabulary": vocabulary} if vocabulary else {}),
    }  # fmt: skip


def via_stage(
    audio: str,
    work: Path,
    model: str,
    vocabulary: list[str] | None,
    vocabulary_language: str | None = None,
) -> list[dict]:
    """Segments from dropscribe's transcribe stage, run in this process (the model stays loaded)."""
    import json

    req = {
        **request(audio, work, model, vocabulary),
        "vocabularyLanguage": vocabulary_language,
    }
    with open(os.devnull, "w") as sink:
        result = stage.run(req, Channel(sink))
    return json.loads(Path(result["transcript"]).read_text())["segments"]


def direct(
    model, audio_path: str, hotwords: str | None, prompt: str | None, carry: bool = True
) -> list[dict]:
    """faster-whisper called directly: its defaults but for beam 5 (dropscribe's), word timings and the vocabulary
    options; `carry=False` is dropscribe's condition_on_previous_text."""
    from faster_whisper import decode_audio

    segments, _ = model.transcribe(
        decode_audio(audio_path, sampling_rate=16000),
        beam_size=5,
        hotwords=hotwords,
        initial_prompt=prompt,
        word_timestamps=True,
        condition_on_previous_text=carry,
    )
    return [
        {
            "start": s.start,
            "end": s.end,
            "text": s.text,
            "words": [
                {"word": w.word, "start": w.start, "end": w.end} for w in s.words or []
            ],
        }
        for s in segments
    ]


def corpus_wer(tmp: Path, model: str) -> None:
    """Pooled WER on ../shared/corpus without a vocabulary, with the unrelated one, and with it declared in each
    clip's own language (so every clip gets it, as before the vocabulary had a language); the three runs alternate
    clip by clip, so a change in the machine's load falls on all of them."""
    import subprocess

    runs = {
        "none": {},
        f"unrelated ({', '.join(UNRELATED)})": {"vocabulary": UNRELATED},
        "unrelated, declared in the clip's language (every clip gets it)": {
            "vocabulary": UNRELATED,
            "own": True,
        },
    }
    errors = dict.fromkeys(runs, 0.0)
    words = 0
    rows = []
    for e in manifest().values():
        decoded = tmp / f"{e['file']}.wav"
        if not decoded.exists():
            subprocess.run(
                [find_ffmpeg().path, "-v", "error", "-y", "-i", str(CORPUS / e["file"]), "-ar", "16000", "-ac",
                 "1", str(decoded)], check=True)  # fmt: skip
        n = len(e["reference_transcript"].split())
        row = []
        for name, run in runs.items():
            language = e["language"] if run.get("own") else None
            segments = via_stage(
                str(decoded), tmp / "s", model, run.get("vocabulary"), language
            )
            w = wer(e["reference_transcript"], text_of(segments))
            errors[name] += w * n
            row.append(f"{w:.3f}")
        words += n
        rows.append(
            f"| {e['file']} | {e['language']} | {n} | " + " | ".join(row) + " |"
        )
    print(
        "\n## WER on ../shared/corpus, pooled over all reference words, dropscribe's stage\n"
    )
    print("| vocabulary | WER |\n|---|---|")
    for name in runs:
        print(f"| {name} | {errors[name] / words:.4f} |")
    print(
        "\n| clip | language | words | "
        + " | ".join(runs)
        + " |\n|---|---|---|---|---|---|"
    )
    print("\n".join(rows))


def text_of(segments: list[dict]) -> str:
    return " ".join(s["text"] for s in segments)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="base")
    p.add_argument(
        "--skip-direct",
        action="store_true",
        help="only dropscribe's rows (faster-whisper's do not change)",
    )
    p.add_argument(
        "--parts",
        default="terms,long,wer",
        help="which sections to run (comma-separated)",
    )
    args = p.parse_args(argv)
    parts = args.parts.split(",")
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="dropscribe-vocab-bench-"))
    clips = (
        make_clips(tmp / "clips", find_ffmpeg().path)
        if {"terms", "long"} & set(parts)
        else []
    )
    occurrences = sum(len(c.terms) for c in clips)
    with open(os.devnull, "w") as sink:
        fw = backend.load_model(request("", tmp, args.model, None), Channel(sink))
    listed = ", ".join(TERMS)
    variants = {
        "faster-whisper, nothing": lambda c: direct(fw, str(c.path), None, None),
        "faster-whisper, hotwords": lambda c: direct(fw, str(c.path), listed, None),
        "faster-whisper, initial_prompt": lambda c: direct(
            fw, str(c.path), None, listed
        ),
        "faster-whisper, hotwords + initial_prompt": lambda c: direct(
            fw, str(c.path), listed, listed
        ),
        "dropscribe, no vocabulary": lambda c: via_stage(
            str(c.path), tmp / "s", args.model, None
        ),
        "dropscribe, vocabulary": lambda c: via_stage(
            str(c.path), tmp / "s", args.model, TERMS
        ),
    }
    if "terms" in parts:
        print(
            f"## {len(clips)} recordings, {occurrences} occurrences of {len(TERMS)} terms, model `{args.model}`\n"
        )
        print("| run | terms right | share |\n|---|---|---|")
    for name, run in variants.items():
        if "terms" not in parts:
            break
        if args.skip_direct and name.startswith("faster-whisper"):
            continue
        right = sum(hits(c.terms, text_of(run(c))) for c in clips)
        print(f"| {name} | {right}/{occurrences} | {right / occurrences:.2f} |")

    if "long" in parts:
        long = tmp / "long.wav"
        ranges = join_clips(clips, long)
        print(
            f"\n## the twelve joined into one recording of {ranges[-1][1]:.0f} s (terms after the first 30 s)\n"
        )
        print("| run | terms right | after 30 s |\n|---|---|---|")
        long_runs = {
            "faster-whisper, initial_prompt": lambda: direct(
                fw, str(long), None, listed
            ),
            "faster-whisper, initial_prompt, condition_on_previous_text=False": lambda: (
                direct(fw, str(long), None, listed, carry=False)
            ),
            "faster-whisper, hotwords + initial_prompt": lambda: direct(
                fw, str(long), listed, listed
            ),
            "dropscribe, vocabulary": lambda: via_stage(
                str(long), tmp / "s", args.model, TERMS
            ),
        }
        for name, run in long_runs.items():
            if args.skip_direct and name.startswith("faster-whisper"):
                continue
            segments = run()
            per_clip = hits_by_clip(
                [w for s in segments for w in s["words"]], clips, ranges
            )
            late = [i for i, (start, _) in enumerate(ranges) if start >= 30]
            late_right, late_n = (
                sum(per_clip[i] for i in late),
                sum(len(clips[i].terms) for i in late),
            )
            right = sum(per_clip)
            print(
                f"| {name} | {right}/{occurrences} ({right / occurrences:.2f}) | {late_right}/{late_n} |"
            )

    if "wer" in parts:
        corpus_wer(tmp, args.model)
    print(
        f"\n({time.monotonic() - started:.0f} s in all, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
