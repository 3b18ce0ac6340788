"""diarize: who spoke when. Voice vectors of sliding windows over the speech, clustered over the whole recording;
every word of the transcript gets its speaker (its edges first moved onto the speech: speech_edges.py), segments
split where the speaker changes, known voices are named.
"""

from __future__ import annotations

import json
from pathlib import Path

from .media.audio import PcmFile
from .runtime.protocol import Channel, write_json_atomic
from .runtime.stage_requests import DiarizeRequest
from .runtime.typed_json import JsonObject
from .speakers.clusters import cluster_speakers
from .speakers.encoder import SpeakerEncoder
from .speakers.enrolment import enrol, name_voices
from .speakers.labels import label_segments, speaker_id, speech_time
from .speakers.model import load_encoder_weights
from .speakers.regions import speech_regions
from .speakers.voice_windows import embed_regions
from .speech.edges import align_segments, speech_runs, words_of
from .speech.silero import speech_probabilities


def prepare() -> None:
    load_encoder_weights()


def run(request: DiarizeRequest, channel: Channel) -> JsonObject:
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
            for w in words_of(seg):
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
