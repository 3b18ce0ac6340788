"""The bundled multilingual `base` model: language detection, transcription and translation on real clips."""

import json

import pytest
from conftest import manifest, run_stage, transcribe_request, wer

NON_ENGLISH = [name for name, row in manifest().items() if row["language"] != "en"]


def speech_spans(audio, tmp_path):
    """The daemon's default path: Silero VAD first, with the default settings of src/config/config.ts."""
    req = {"audio": audio, "outDir": str(tmp_path / "vad"), "threshold": 0.5, "minSilenceMs": 2000, "speechPadMs": 400}
    run = run_stage("vad", req)
    assert run.exit_code == 0, run.stderr
    return run.result["segments"]


def transcribe(audio, tmp_path, **kw):
    req = transcribe_request(audio, tmp_path / "asr", speech=speech_spans(audio, tmp_path), model="base", **kw)
    run = run_stage("transcribe", req)
    assert run.exit_code == 0, run.stderr
    segs = json.loads(open(run.result["transcript"]).read())["segments"]
    return run, " ".join(s["text"] for s in segs)


def test_the_corpus_has_non_english_clips():
    assert len(NON_ENGLISH) >= 3


@pytest.mark.parametrize("clip", NON_ENGLISH)
def test_base_detects_the_language_and_transcribes(decoded, tmp_path, clip):
    row = manifest()[clip]
    run, text = transcribe(decoded(clip), tmp_path)
    assert run.result["language"] == row["language"]
    assert run.result["languageProbability"] > 0.5
    assert wer(row["reference_transcript"], text) <= 0.35, text


ENGLISH_MARKERS = {"the", "was", "he", "and", "of", "as", "a", "this", "became", "used"}


@pytest.mark.parametrize("clip", ["de_picovoice_test_de.wav", "fr_picovoice_test_fr.wav"])
def test_translate_gives_english_and_keeps_the_source_language(decoded, tmp_path, clip):
    row = manifest()[clip]
    run, text = transcribe(decoded(clip), tmp_path, task="translate")
    words = {w.strip(".,;:!?").lower() for w in text.split()}
    assert len(words & ENGLISH_MARKERS) >= 2, text
    assert wer(row["reference_transcript"], text) > 0.6, f"not translated: {text}"
    assert run.result["language"] == row["language"]
