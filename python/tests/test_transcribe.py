import json

import pytest
from conftest import NO_MLX, PYTHON_DIR, manifest, run_stage, transcribe_request, wer


def transcribe(audio, tmp_path, **kw):
    req = transcribe_request(audio, tmp_path / "asr", **kw)
    return run_stage("transcribe", req, **({"fakes": True} if kw.get("backend") == "mlx" else {}))


def text_of(run) -> tuple[str, list]:
    segs = json.loads(open(run.result["transcript"]).read())["segments"]
    return " ".join(s["text"] for s in segs), segs


@pytest.mark.parametrize("clip", ["jfk.flac", "en_cmu_arctic_a0024.wav"])
def test_faster_whisper_tiny_en_offline_model_transcribes_with_words(decoded, tmp_path, clip):
    run = transcribe(decoded(clip), tmp_path)
    assert run.exit_code == 0, run.stderr
    text, segs = text_of(run)
    assert wer(manifest()[clip]["reference_transcript"], text) <= 0.15, text
    assert all(s["words"] for s in segs)
    assert run.result["backend"] == "faster-whisper" and run.result["language"] == "en"
    fractions = [e["fraction"] for e in run.events if e["event"] == "progress"]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_speech_spans_from_vad_keep_original_timestamps(decoded, tmp_path):
    audio = decoded("jfk.flac")
    spans = [{"start": 0.0, "end": 3.5}, {"start": 3.9, "end": 11.0}]
    run = transcribe(audio, tmp_path, speech=spans)
    assert run.exit_code == 0, run.stderr
    text, segs = text_of(run)
    assert wer(manifest()["jfk.flac"]["reference_transcript"], text) <= 0.15
    assert segs[-1]["end"] > 9.0, "times are mapped back to the recording, not the joined speech"


def test_no_speech_gives_an_empty_transcript(decoded, tmp_path):
    run = transcribe(decoded("jfk.flac"), tmp_path, speech=[])
    assert run.exit_code == 0 and run.result["segmentCount"] == 0


def test_language_setting_on_an_english_only_model_warns(decoded, tmp_path):
    run = transcribe(decoded("de_picovoice_test_de.wav"), tmp_path, language="de")
    assert run.exit_code == 0, run.stderr
    assert any(e["event"] == "warning" and "only knows English" in e["message"] for e in run.events)


def test_english_only_model_detects_a_german_recording_and_warns(decoded, tmp_path):
    run = transcribe(decoded("de_picovoice_test_de.wav"), tmp_path)
    assert run.exit_code == 0, run.stderr
    warnings = [e["message"] for e in run.events if e["event"] == "warning"]
    assert any("sounds like 'de'" in w and "only knows English" in w for w in warnings), warnings


def test_english_only_model_refuses_a_german_recording_when_configured(decoded, tmp_path):
    run = transcribe(decoded("de_picovoice_test_de.wav"), tmp_path, languageMismatch="refuse")
    assert run.exit_code == 65, run.stderr
    assert run.error["code"] == "bad_input" and "multilingual" in run.error["message"]


def test_english_recording_on_english_only_model_has_no_language_warning(decoded, tmp_path):
    run = transcribe(decoded("jfk.flac"), tmp_path)
    assert run.exit_code == 0, run.stderr
    assert not [e for e in run.events if e["event"] == "warning"]


def test_segments_carry_their_quality_signals(decoded, tmp_path):
    run = transcribe(decoded("jfk.flac"), tmp_path)
    _, segs = text_of(run)
    for s in segs:
        assert 0 <= s["noSpeechProb"] <= 1 and s["avgLogprob"] < 0 and s["compressionRatio"] > 0
        assert s["weak"] is False


def test_silence_without_vad_gives_no_invented_text(tmp_path):
    import numpy as np

    from dropscribe_stages.media.audio import write_wav_atomic

    silence = tmp_path / "silence.wav"
    write_wav_atomic(silence, np.zeros(16000 * 20, dtype=np.float32))
    run = transcribe(str(silence), tmp_path)
    assert run.exit_code == 0, run.stderr
    transcript = json.loads(open(run.result["transcript"]).read())
    assert transcript["segments"] == [], transcript


def test_a_model_that_cannot_be_found_offline_is_a_config_error(decoded, tmp_path):
    run = transcribe(decoded("jfk.flac"), tmp_path, model="large-v3")
    assert run.exit_code == 78
    assert run.error["code"] == "config" and "large-v3" in run.error["message"]


def test_mlx_backend_through_the_real_api_shape(decoded, tmp_path):
    run = transcribe(decoded("jfk.flac"), tmp_path, backend="mlx", speech=[{"start": 0.0, "end": 11.0}])
    assert run.exit_code == 0, run.stderr
    text, segs = text_of(run)
    assert run.result["backend"] == "mlx"
    assert wer(manifest()["jfk.flac"]["reference_transcript"], text) <= 0.15
    assert all(s["words"] for s in segs)


def test_mlx_missing_is_a_config_error(decoded, tmp_path):
    req = transcribe_request(decoded("jfk.flac"), tmp_path / "asr", backend="mlx")
    run = run_stage("transcribe", req, env={"PYTHONPATH": f"{NO_MLX}:{PYTHON_DIR}"})
    assert run.exit_code == 78 and "mlx_whisper" in run.error["message"]


def test_mlx_returning_a_list_is_reported_not_trusted(decoded, tmp_path):
    req = transcribe_request(decoded("jfk.flac"), tmp_path / "asr", backend="mlx")
    run = run_stage("transcribe", req, fakes=True, env={"FAKE_MLX_MODE": "garbage"})
    assert run.exit_code == 70 and "expected a dict" in run.error["message"]
