"""The real mlx backend (MLX's CPU backend here) beside faster-whisper on the same bundled weights, greedy both: speaker
labels on the shared two-person sample and the vocabulary's terms come out as well (npm run test:quality).

Each MLX transcription runs in a stage process of its own (run_stage), as the daemon runs it: one per process."""

import json
from pathlib import Path

import pytest
from conftest import CORPUS, run_stage, transcribe_request, typed_request
from der import der, turns_from_rttm, turns_from_words
from vocabulary_clips import TERMS, have_espeak, hits, make_clips

from dropscribe_stages import diarize, vad

pytestmark = [
    pytest.mark.quality,
    pytest.mark.skipif(not __import__("importlib").util.find_spec("mlx_whisper"), reason="mlx-whisper not installed"),
]


class Quiet:
    def progress(self, fraction, message=None):
        pass

    def warning(self, message):
        pass


def transcript(audio: str, out: Path, backend: str, **fields) -> Path:
    """The transcribe stage's transcript file: base, float32, beam 1 (MLX has no beam search), in its own process."""
    request = transcribe_request(audio, out, backend=backend, model="base", beamSize=1, computeType="float32", **fields)
    run = run_stage("transcribe", request)
    assert run.exit_code == 0, run.stderr
    assert run.result["backend"] == backend
    return Path(run.result["transcript"])


def test_speaker_labels_on_mlx_words_are_as_good_as_on_faster_whisper_words(tmp_path):
    audio = str(CORPUS / "conversations" / "pyannote_sample.wav")
    reference = turns_from_rttm((CORPUS / "conversations" / "pyannote_sample.rttm").read_text())
    vad_request = {"audio": audio, "outDir": str(tmp_path / "vad"), "threshold": 0.5, "minSilenceMs": 2000}
    spans = vad.run(typed_request("vad", {**vad_request, "speechPadMs": 400}), Quiet())["segments"]
    scores = {}
    for backend in ("mlx", "faster-whisper"):
        words = transcript(audio, tmp_path / backend, backend, speech=spans, language="en")
        out = tmp_path / f"diarize-{backend}"
        out.mkdir()
        request = {
            "audio": audio,
            "transcript": str(words),
            "speech": spans,
            "minSpeakers": 1,
            "maxSpeakers": 8,
            "hopSec": 0.5,
            "voices": [],
            "outDir": str(out),
        }
        found = diarize.run(typed_request("diarize", request), Quiet())
        segments = json.loads(Path(found["transcript"]).read_text())["segments"]
        scores[backend] = der(reference, turns_from_words(segments))
        assert len(found["speakers"]) == 2, (backend, found["speakers"])
    print(f"pyannote_sample DER: mlx {scores['mlx']}, faster-whisper {scores['faster-whisper']}")
    assert scores["mlx"]["der"] <= scores["faster-whisper"]["der"] + 0.02, scores


@pytest.mark.skipif(not have_espeak(), reason="espeak-ng is not installed (.ci/run installs it)")
def test_the_vocabulary_reaches_mlx_as_it_reaches_faster_whisper(tmp_path, ffmpeg):
    clips = make_clips(tmp_path / "clips", ffmpeg)
    right = {"mlx": 0, "faster-whisper": 0}
    for backend in right:
        for i, clip in enumerate(clips):
            path = transcript(str(clip.path), tmp_path / f"{backend}{i}", backend, vocabulary=TERMS)
            text = " ".join(s["text"] for s in json.loads(path.read_text())["segments"])
            right[backend] += hits(clip.terms, text)
    total = sum(len(c.terms) for c in clips)
    recall = {b: n / total for b, n in right.items()}
    print(f"vocabulary terms right in {len(clips)} recordings: {right} of {total} each")
    assert recall["mlx"] >= recall["faster-whisper"] - 0.05, recall
