"""The separate and align stages with the real demucs and whisperx on tiny local models (python/.venv-heavy only)."""

from __future__ import annotations

import json
import sys
import wave

import pytest

pytest.importorskip("whisperx.alignment", reason="needs the heavy environment (npm run test:heavy)")
pytest.importorskip("demucs.separate", reason="needs the heavy environment (npm run test:heavy)")

from conftest import REPO, align_request, manifest, run_stage, write_transcript  # noqa: E402

sys.path.insert(0, str(REPO / "test" / "heavy"))
import tiny_models  # noqa: E402

CLIP = "en_librispeech_1272-128104-0000.wav"


@pytest.fixture(scope="session")
def models(tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny-models")
    text = "\n".join(row["reference_transcript"] for row in manifest().values())
    return {
        "demucs": tiny_models.make_demucs(out / "demucs").parent,
        "wav2vec2": tiny_models.make_wav2vec2(out / "wav2vec2"),
        "nltk": tiny_models.make_punkt(out / "nltk_data", text).parents[2],
    }


def wav_info(path: str) -> tuple[int, int, int]:
    with wave.open(path) as w:
        return w.getframerate(), w.getnchannels(), w.getnframes()


@pytest.mark.parametrize("as_file", [False, True], ids=["folder", "file"])
def test_demucs_local_model_gives_16k_vocals_of_the_same_length(decoded, tmp_path, models, as_file):
    audio = decoded(CLIP)
    model = str(models["demucs"] / "tiny.th") if as_file else str(models["demucs"])
    run = run_stage("separate", {"audio": audio, "model": model, "outDir": str(tmp_path / "sep")})
    assert run.exit_code == 0, run.stderr[-3000:]
    rate, channels, frames = wav_info(run.result["audio"])
    in_rate, _, in_frames = wav_info(audio)
    assert (rate, channels) == (16000, 1)
    assert abs(frames - in_frames) <= in_rate * 0.01, f"{frames} frames of vocals for {in_frames} of input"
    assert run.result["model"] == model
    assert not (tmp_path / "sep" / "demucs").exists(), "demucs scratch output is cleaned up"


def test_demucs_missing_model_folder_is_config_naming_it(decoded, tmp_path):
    folder = tmp_path / "no-such-models"
    run = run_stage("separate", {"audio": decoded(CLIP), "model": str(folder), "outDir": str(tmp_path / "sep")})
    assert run.exit_code == 78 and str(folder) in run.error["message"]


def test_demucs_corrupt_model_is_config_naming_the_folder(decoded, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "tiny.th").write_bytes(b"not a torch file")
    run = run_stage("separate", {"audio": decoded(CLIP), "model": str(folder), "outDir": str(tmp_path / "sep")})
    assert run.exit_code == 78 and str(folder) in run.error["message"], run.error


def halves(text: str, end: float) -> list[tuple[float, float, str]]:
    """The clip's reference text as two segments without words: its first eight words, then the rest."""
    words = text.split()
    return [(0.0, end / 2, " " + " ".join(words[:8])), (end / 2, end, " " + " ".join(words[8:]))]


def test_whisperx_aligns_with_a_local_wav2vec2_folder(decoded, tmp_path, models):
    row = manifest()[CLIP]
    text, end = row["reference_transcript"], float(row["duration_s"])
    transcript = write_transcript(tmp_path, halves(text, end))
    req = align_request(decoded(CLIP), transcript, tmp_path / "align", model=str(models["wav2vec2"]))
    run = run_stage("align", req, env={"NLTK_DATA": str(models["nltk"])})
    assert run.exit_code == 0, run.stderr[-3000:]
    assert run.result["backend"] == "whisperx"
    assert run.result["wordCount"] == len(text.split())
    segs = json.loads(open(run.result["transcript"]).read())["segments"]
    assert [w["word"].strip() for s in segs for w in s["words"]] == text.split()
    for s in segs:
        for w in s["words"]:
            assert s["start"] <= w["start"] <= w["end"] <= s["end"], (s["start"], s["end"], w)


def test_whisperx_missing_model_folder_is_config_naming_it(decoded, tmp_path, models):
    folder = tmp_path / "no-such-wav2vec2"
    transcript = write_transcript(tmp_path, halves("a b", 2.0))
    req = align_request(decoded(CLIP), transcript, tmp_path / "align", model=str(folder))
    run = run_stage("align", req, env={"NLTK_DATA": str(models["nltk"])})
    assert run.exit_code == 78 and str(folder) in run.error["message"]


def test_whisperx_corrupt_model_folder_is_config_naming_it(decoded, tmp_path, models):
    folder = tmp_path / "broken-wav2vec2"
    folder.mkdir()
    for f in models["wav2vec2"].iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "model.safetensors").write_bytes(b"truncated")
    transcript = write_transcript(tmp_path, halves("a b", 2.0))
    req = align_request(decoded(CLIP), transcript, tmp_path / "align", model=str(folder))
    run = run_stage("align", req, env={"NLTK_DATA": str(models["nltk"])})
    assert run.exit_code == 78 and str(folder) in run.error["message"], run.error
