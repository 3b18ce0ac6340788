import json

from conftest import align_request, run_stage, write_transcript

JFK = [(0.0, 4.0, " And so my fellow Americans"), (4.0, 11.0, " ask not what 2 your country can do")]


def jfk_align_request(decoded, tmp_path, **overrides) -> dict:
    return align_request(decoded("jfk.flac"), write_transcript(tmp_path, JFK), tmp_path / "align", **overrides)


def test_whisperx_alignment_fills_words_even_those_without_times(decoded, tmp_path):
    run = run_stage("align", jfk_align_request(decoded, tmp_path), fakes=True)
    assert run.exit_code == 0, run.stderr
    assert run.result["backend"] == "whisperx" and run.result["wordCount"] == 13
    segs = json.loads(open(run.result["transcript"]).read())["segments"]
    for s in segs:
        for w in s["words"]:
            assert s["start"] <= w["start"] <= w["end"] <= s["end"]


def test_whisperx_missing_language_model_is_config(decoded, tmp_path):
    run = run_stage("align", jfk_align_request(decoded, tmp_path, language="xx"), fakes=True)
    assert run.exit_code == 78 and "xx" in run.error["message"]


def test_whisperx_segfault_dies_by_signal(decoded, tmp_path):
    run = run_stage("align", jfk_align_request(decoded, tmp_path), fakes=True, env={"FAKE_WHISPERX_MODE": "segfault"})
    assert run.exit_code == -11 and run.result is None


def test_demucs_separation_gives_16k_vocals(decoded, tmp_path):
    req = {"audio": decoded("jfk.flac"), "model": "htdemucs", "outDir": str(tmp_path / "sep")}
    run = run_stage("separate", req, fakes=True)
    assert run.exit_code == 0, run.stderr
    assert run.result["audio"].endswith("vocals.wav")
    assert not (tmp_path / "sep" / "demucs").exists(), "demucs scratch output is cleaned up"
