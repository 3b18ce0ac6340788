"""diarize: who spoke when. Voice vectors of sliding windows over the speech, clustered over the whole recording;
every word of the transcript gets its speaker (its edges first moved onto the speech: speech_edges.py), segments
split where the speaker changes, known voices are named.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from .media.audio import PcmFile, pcm_output_args, wav_duration
from .media.ffmpeg_locator import find_ffmpeg
from .protocol import Channel, write_json_atomic
from .runtime.errors import BadInput, ConfigProblem
from .runtime.stage_requests import DiarizeRequest
from .speakers.clusters import cluster_speakers
from .speakers.encoder import SpeakerEncoder
from .speakers.labels import label_segments, speaker_id, speech_time
from .speakers.model import load_encoder_weights
from .speakers.voice_windows import embed_clip, embed_regions
from .speech.edges import align_segments, speech_runs
from .speech.silero import speech_probabilities

WORD_GAP = 0.3  # words closer than this form one speech region
VOICE_MATCH = 0.80  # an enrolled voice names a speaker only when their vectors are at least this alike


def prepare() -> None:
    load_encoder_weights()


def speech_regions(speech: list | None, segments: list[dict]) -> list[tuple[float, float]]:
    """The request's VAD spans when given, else the recognizer's word timings merged across gaps under WORD_GAP."""
    if speech:
        return [(s.start, s.end) for s in speech if s.end > s.start]
    spans = sorted(
        (w["start"], w["end"]) for seg in segments for w in (seg.get("words") or [seg]) if w["end"] > w["start"]
    )
    merged: list[list[float]] = []
    for start, end in spans:
        if merged and start - merged[-1][1] < WORD_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


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


def enrol(voices: list, encoder: SpeakerEncoder, hop: float) -> list[tuple[str, np.ndarray]]:
    """(name, voice vector) of each enrolment sample."""
    out = []
    with tempfile.TemporaryDirectory(prefix="dropscribe-voices-") as folder:
        for voice in voices:
            wav = decode_voice(voice.audio, Path(folder))
            out.append((voice.name, embed_clip(PcmFile(wav), 0.0, wav_duration(wav), encoder, hop)))
    return out


def run(request: DiarizeRequest, channel: Channel) -> dict:
    transcript = json.loads(Path(request.transcript).read_text(encoding="utf-8"))
    samples = PcmFile(request.audio)
    segments = align_segments(transcript["segments"], speech_runs(speech_probabilities(samples)))
    encoder = SpeakerEncoder(load_encoder_weights())
    regions = speech_regions(request.speech, segments)
    channel.progress(0.0, f"embedding voices in {len(regions)} speech regions")
    found = embed_regions(
        samples, regions, encoder, request.hop_sec, progress=lambda f: channel.progress(0.9 * f, "embedding voices")
    )
    clusters = cluster_speakers(
        found.vectors, found.regions, request.min_speakers, request.max_speakers, request.hop_sec
    )
    named = name_voices(clusters.centroids, enrol(request.voices, encoder, request.hop_sec))
    ids = {k: named.get(k, speaker_id(k)) for k in range(clusters.count)}
    labelled = label_segments(segments, found.centres, clusters.labels, ids) if clusters.count else segments
    seconds = speech_time(labelled) if clusters.count else {}
    speakers = [
        {"id": speaker_id(k), "name": named.get(k), "speechSec": round(seconds.get(ids[k], 0.0), 3)}
        for k in range(clusters.count)
    ]
    by_name = {ids[k]: speaker_id(k) for k in range(clusters.count)}
    for seg in labelled:  # the JSON carries ids; names live in the speakers list
        if "speaker" in seg:
            seg["speaker"] = by_name[seg["speaker"]]
            for w in seg.get("words") or []:
                w["speaker"] = by_name[w["speaker"]]
    out = Path(request.out_dir) / "transcript.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out, {**transcript, "segments": labelled})
    channel.progress(1.0, f"{clusters.count} speakers")
    return {
        "transcript": str(out),
        "speakers": speakers,
        "confidence": round(clusters.confidence, 3),
        "windowCount": int(len(found.centres)),
    }
