import subprocess
import wave

from conftest import CORPUS, manifest, run_stage


def test_decodes_flac_to_16k_mono_wav_with_progress_and_heartbeat(tmp_path):
    run = run_stage("decode", {"source": str(CORPUS / "jfk.flac"), "outDir": str(tmp_path), "audioStream": None})
    assert run.exit_code == 0, run.stderr
    art = run.result
    assert art["decoder"] == "ffmpeg" and art["codec"] == "flac" and art["hasVideo"] is False
    assert abs(art["durationSec"] - float(manifest()["jfk.flac"]["duration_s"])) < 0.05
    with wave.open(art["audio"]) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
    kinds = [e["event"] for e in run.events]
    assert kinds[0] == "started" and kinds[-1] == "result"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temp files left"


def test_decodes_mp3(tmp_path):
    run = run_stage("decode", {"source": str(CORPUS / "en_librivox_shakespeare_sonnet001.mp3"), "outDir": str(tmp_path), "audioStream": None})
    assert run.exit_code == 0, run.stderr
    assert 52 < run.result["durationSec"] < 54


def test_video_with_two_audio_tracks_picks_default_or_requested(tmp_path):
    video = tmp_path / "clip with spaces.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=64x64:d=2", "-i", str(CORPUS / "jfk.flac"),
         "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-map", "0:v", "-map", "1:a", "-map", "2:a",
         "-t", "2", "-c:v", "libx264", "-c:a", "aac", "-disposition:a:0", "default", "-disposition:a:1", "0", str(video)],
        check=True,
    )
    run = run_stage("decode", {"source": str(video), "outDir": str(tmp_path / "a"), "audioStream": None})
    assert run.exit_code == 0, run.stderr
    assert run.result["hasVideo"] is True and run.result["streamIndex"] == 1
    assert any(e["event"] == "warning" and "2 audio tracks" in e["message"] for e in run.events)
    run2 = run_stage("decode", {"source": str(video), "outDir": str(tmp_path / "b"), "audioStream": 2})
    assert run2.result["streamIndex"] == 2


def test_video_without_audio_is_refused_clearly(tmp_path):
    video = tmp_path / "silent.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=black:s=64x64:d=1", "-c:v", "libx264", str(video)], check=True)
    run = run_stage("decode", {"source": str(video), "outDir": str(tmp_path / "o"), "audioStream": None})
    assert run.exit_code == 65
    assert run.error["code"] == "no_audio" and run.error["retryable"] is False
    assert "no audio track" in run.error["message"]


def test_text_renamed_mp3_empty_and_truncated_files_are_bad_input(tmp_path):
    text = tmp_path / "notes.mp3"
    text.write_text("hello, this is text\n" * 50)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    truncated = tmp_path / "cut.flac"
    truncated.write_bytes((CORPUS / "jfk.flac").read_bytes()[:300])
    random_bytes = tmp_path / "noise.m4a"
    random_bytes.write_bytes(bytes((i * 7919) % 256 for i in range(20000)))
    for f in (text, empty, truncated, random_bytes):
        run = run_stage("decode", {"source": str(f), "outDir": str(tmp_path / f.stem), "audioStream": None})
        assert run.exit_code == 65, (f.name, run.events, run.stderr)
        assert run.error["code"] in ("bad_input", "no_audio")


def test_missing_input_is_bad_input(tmp_path):
    run = run_stage("decode", {"source": str(tmp_path / "gone.wav"), "outDir": str(tmp_path / "o"), "audioStream": None})
    assert run.exit_code == 65 and "gone" in run.error["message"]


def test_invalid_request_is_a_bug_exit_70(tmp_path):
    run = run_stage("decode", {"outDir": str(tmp_path)})
    assert run.exit_code == 70 and run.error["code"] == "bug" and "invalid stage request" in run.error["message"]


def test_pyav_fallback_when_ffmpeg_is_not_on_path(tmp_path):
    import os
    import sys

    env = {"PATH": os.path.dirname(sys.executable)}  # the venv's bin: python, but no ffmpeg
    run = run_stage("decode", {"source": str(CORPUS / "jfk.flac"), "outDir": str(tmp_path), "audioStream": None}, env=env)
    assert run.exit_code == 0, run.stderr
    assert run.result["decoder"] == "pyav"
    assert abs(run.result["durationSec"] - 11.0) < 0.05
    bad = tmp_path / "notes.mp3"
    bad.write_text("not audio\n" * 40)
    refused = run_stage("decode", {"source": str(bad), "outDir": str(tmp_path / "b"), "audioStream": None}, env=env)
    assert refused.exit_code == 65, refused.stderr
