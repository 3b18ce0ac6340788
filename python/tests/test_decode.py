import os
import sys
import wave

import pytest
from conftest import CORPUS, manifest, run_ffmpeg, run_stage

SILENCE = "silence"


def two_track_mkv(ffmpeg: str, target, first: str, second: str, seconds: float = 11.0):
    """An MKV with two audio tracks (the first marked default); each is a corpus clip or SILENCE."""
    inputs = []
    for track in (first, second):
        inputs += ["-f lavfi -i anullsrc=r=48000:cl=stereo"] if track == SILENCE else ["-i", CORPUS / track]
    disposition = "-disposition:a:0 default -disposition:a:1 0"
    return run_ffmpeg(ffmpeg, *inputs, f"-map 0:a -map 1:a -t {seconds} -c:a aac {disposition}", target)


def decode(source, out_dir, audio_stream=None, env=None):
    return run_stage("decode", {"source": str(source), "outDir": str(out_dir), "audioStream": audio_stream}, env=env)


def warnings_of(run) -> list[str]:
    return [e["message"] for e in run.events if e["event"] == "warning"]


def chosen(run) -> tuple[int, list[str]]:
    """The stream a decode that succeeded chose, and its warnings."""
    assert run.exit_code == 0, run.stderr
    return run.result["streamIndex"], warnings_of(run)


def test_decodes_flac_to_16k_mono_wav_with_progress_and_heartbeat(tmp_path):
    run = run_stage("decode", {"source": str(CORPUS / "jfk.flac"), "outDir": str(tmp_path), "audioStream": None})
    assert run.exit_code == 0, run.stderr
    art = run.result
    assert art["decoder"] == "ffmpeg" and art["codec"] == "flac" and art["hasVideo"] is False
    assert "frameRate" not in art, "audio has no frame rate"
    assert abs(art["durationSec"] - float(manifest()["jfk.flac"]["duration_s"])) < 0.05
    with wave.open(art["audio"]) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (16000, 1, 2)
    kinds = [e["event"] for e in run.events]
    assert kinds[0] == "started" and kinds[-1] == "result"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temp files left"


def test_decodes_mp3(tmp_path):
    run = run_stage(
        "decode",
        {"source": str(CORPUS / "en_librivox_shakespeare_sonnet001.mp3"), "outDir": str(tmp_path), "audioStream": None},
    )
    assert run.exit_code == 0, run.stderr
    assert 52 < run.result["durationSec"] < 54


def test_video_with_two_audio_tracks_picks_default_or_requested(tmp_path, ffmpeg):
    video = run_ffmpeg(
        ffmpeg,
        "-f lavfi -i color=c=black:s=64x64:d=2 -i",
        CORPUS / "jfk.flac",
        "-f lavfi -i sine=frequency=440:duration=2 -map 0:v -map 1:a -map 2:a -t 2 -c:v libx264 -c:a aac",
        "-disposition:a:0 default -disposition:a:1 0",
        tmp_path / "clip with spaces.mp4",
    )
    run = decode(video, tmp_path / "a")
    assert run.exit_code == 0, run.stderr
    assert run.result["hasVideo"] is True and run.result["streamIndex"] == 1
    assert run.result["frameRate"] == 25, "the video stream's frame rate (lavfi color's default)"
    assert any("2 audio tracks; using the default track, stream 1" in w for w in warnings_of(run))
    run2 = decode(video, tmp_path / "b", audio_stream=2)
    assert run2.result["streamIndex"] == 2 and warnings_of(run2) == []


def test_default_track_with_speech_is_kept(tmp_path, ffmpeg):
    mkv = two_track_mkv(ffmpeg, tmp_path / "speech first.mkv", "jfk.flac", SILENCE)
    stream, [warning] = chosen(decode(mkv, tmp_path / "o"))
    assert stream == 0
    assert "using the default track, stream 0" in warning and "audioStream" in warning


def test_silent_default_track_switches_to_the_track_with_speech(tmp_path, ffmpeg):
    mkv = two_track_mkv(ffmpeg, tmp_path / "silence first.mkv", SILENCE, "jfk.flac")
    stream, [warning] = chosen(decode(mkv, tmp_path / "o"))
    assert stream == 1
    assert "stream 0" in warning and "is silent; using stream 1" in warning and "audioStream" in warning
    assert not [p for p in (tmp_path / "o").iterdir() if p.name.startswith(".")], "no sample files left"
    forced = decode(mkv, tmp_path / "forced", audio_stream=0)
    assert forced.result["streamIndex"] == 0 and warnings_of(forced) == [], "an explicit audioStream is obeyed"


def test_all_tracks_silent_keeps_the_default_and_warns(tmp_path, ffmpeg):
    mkv = two_track_mkv(ffmpeg, tmp_path / "all silent.mkv", SILENCE, SILENCE, seconds=4)
    stream, [warning] = chosen(decode(mkv, tmp_path / "o"))
    assert stream == 0
    assert "seems silent" in warning and "stream 0" in warning


def test_pyav_fallback_also_switches_from_a_silent_default_track(tmp_path, ffmpeg):
    mkv = two_track_mkv(ffmpeg, tmp_path / "two.mkv", SILENCE, "jfk.flac")
    run = decode(mkv, tmp_path / "o", env={"DROPSCRIBE_FFMPEG": "none"})
    stream, warnings = chosen(run)
    assert run.result["decoder"] == "pyav" and stream == 1
    assert any("is silent; using stream 1" in w for w in warnings)


def test_audio_stream_that_does_not_exist_is_bad_input_listing_the_streams(tmp_path, ffmpeg):
    mkv = two_track_mkv(ffmpeg, tmp_path / "two.mkv", SILENCE, "jfk.flac", seconds=2)
    run = decode(mkv, tmp_path / "o", audio_stream=5)
    assert run.exit_code == 65 and run.error["code"] == "bad_input"
    assert "audioStream 5 does not exist" in run.error["message"]
    assert "stream 0 (aac, default)" in run.error["message"] and "stream 1 (aac)" in run.error["message"]


def test_video_without_audio_is_refused_clearly(tmp_path, ffmpeg):
    video = run_ffmpeg(ffmpeg, "-f lavfi -i color=c=black:s=64x64:d=1 -c:v libx264", tmp_path / "silent.mp4")
    run = decode(video, tmp_path / "o")
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
    run = run_stage(
        "decode", {"source": str(tmp_path / "gone.wav"), "outDir": str(tmp_path / "o"), "audioStream": None}
    )
    assert run.exit_code == 65 and "gone" in run.error["message"]


def test_invalid_request_is_a_bug_exit_70(tmp_path):
    run = run_stage("decode", {"outDir": str(tmp_path)})
    assert run.exit_code == 70 and run.error["code"] == "bug" and "invalid stage request" in run.error["message"]


def test_without_any_system_ffmpeg_the_bundled_one_decodes(tmp_path):
    from dropscribe_stages.media.ffmpeg_locator import system_path

    venv_bin = os.path.dirname(sys.executable)  # python, but no ffmpeg
    if system_path(venv_bin):
        pytest.skip("a system ffmpeg is installed in /opt/homebrew/bin or /usr/local/bin")
    run = decode(CORPUS / "jfk.flac", tmp_path, env={"PATH": venv_bin})
    assert run.exit_code == 0, run.stderr
    assert run.result["decoder"] == "ffmpeg"
    assert abs(run.result["durationSec"] - 11.0) < 0.05


def test_dropscribe_ffmpeg_that_does_not_run_is_a_config_problem(tmp_path):
    run = decode(CORPUS / "jfk.flac", tmp_path, env={"DROPSCRIBE_FFMPEG": str(tmp_path / "no-such-ffmpeg")})
    assert run.exit_code == 78 and run.error["code"] == "config"
    assert "DROPSCRIBE_FFMPEG" in run.error["message"]


def test_pyav_fallback_when_there_is_no_ffmpeg(tmp_path):
    env = {"DROPSCRIBE_FFMPEG": "none"}
    run = decode(CORPUS / "jfk.flac", tmp_path, env=env)
    assert run.exit_code == 0, run.stderr
    assert run.result["decoder"] == "pyav"
    assert abs(run.result["durationSec"] - 11.0) < 0.05
    bad = tmp_path / "notes.mp3"
    bad.write_text("not audio\n" * 40)
    refused = decode(bad, tmp_path / "b", env=env)
    assert refused.exit_code == 65, refused.stderr


# ffmpeg (DROPSCRIBE_FFMPEG unset) and PyAV (no ffmpeg at all) decode the same files under the same rules.
DECODERS = {"ffmpeg": None, "pyav": {"DROPSCRIBE_FFMPEG": "none"}}


def expanding_file(kind: str, folder) -> "os.PathLike":
    """A few bytes that ffmpeg would read as minutes of audio, named like an mp3: an ffconcat list that repeats a 4 s
    recording beside it 200 times (13 minutes from 3 KB), or an SBaGen script that synthesizes 10 minutes (60 bytes)."""
    source = folder / "small.mp3"
    if kind == "concat":
        (folder / "talk.wav").write_bytes((CORPUS / "en_cmu_arctic_a0024.wav").read_bytes())
        source.write_text("ffconcat version 1.0\n" + "file talk.wav\n" * 200)
    else:
        source.write_text("-SE\nbeat: 200+10/40\nNOW beat\n+0:10:00 beat\n")
    return source


@pytest.mark.parametrize("decoder", DECODERS)
@pytest.mark.parametrize("kind", ["concat", "sbg"])
def test_a_format_that_reads_other_files_or_makes_up_sound_is_refused(tmp_path, kind, decoder):
    source = expanding_file(kind, tmp_path)
    run = decode(source, tmp_path / "o", env=DECODERS[decoder])
    assert run.exit_code == 65 and run.error["code"] == "bad_input", (run.result, run.stderr[-500:])
    assert f"'{kind}'" in run.error["message"], run.error["message"]
    written = sum(p.stat().st_size for p in (tmp_path / "o").rglob("*") if p.is_file())
    assert written < 1_000_000, f"{written} bytes decoded from a {source.stat().st_size}-byte file"


@pytest.mark.parametrize("decoder", DECODERS)
def test_a_file_that_decodes_to_more_audio_than_its_size_can_hold_is_refused(tmp_path, ffmpeg, decoder):
    # 20 minutes of digital silence at 8 kHz in FLAC frames of 65535 samples: about 10 KB, under 10 bytes a second
    # of audio, where the leanest speech codecs (codec2 700 bit/s, AMR 4.75 kbit/s, Opus 6 kbit/s) need 80 or more.
    quiet = run_ffmpeg(
        ffmpeg, "-f lavfi -i anullsrc=r=8000:cl=mono -t 1200 -c:a flac -frame_size 65535", tmp_path / "quiet.flac"
    )
    assert quiet.stat().st_size < 20_000
    run = decode(quiet, tmp_path / "o", env=DECODERS[decoder])
    assert run.exit_code == 65 and run.error["code"] == "bad_input", (run.result, run.stderr[-500:])
    assert "more audio than" in run.error["message"], run.error["message"]
    assert not (tmp_path / "o" / "audio.wav").exists()


# Containers a user drops, each with 3 s of the JFK clip (the video ones with a small picture track).
CONTAINERS = {
    "talk.m4a": "-c:a aac",
    "talk.ogg": "-c:a libopus -ar 48000",
    "talk.webm": "-c:a libopus -ar 48000",
    "talk.mka": "-c:a aac",
    "talk.wav": "-c:a pcm_s16le",
    "talk.aiff": "-c:a pcm_s16be",
    "talk.caf": "-c:a pcm_s16le",
    "talk.wma": "-c:a wmav2",
    "talk.aac": "-c:a aac",
    "talk.ac3": "-c:a ac3",
    "clip.mov": "-c:v mpeg4 -c:a aac",
    "clip.3gp": "-c:v mpeg4 -c:a aac",
    "clip.avi": "-c:v mpeg4 -c:a libmp3lame",
    "clip.ts": "-c:v mpeg2video -c:a mp2",
    "clip.mpg": "-c:v mpeg2video -c:a mp2",
    "clip.flv": "-c:v flv -c:a libmp3lame",
    "clip.wmv": "-c:v wmv2 -c:a wmav2",
}


@pytest.fixture(scope="module")
def containers(ffmpeg, tmp_path_factory):
    folder = tmp_path_factory.mktemp("containers")
    picture = "-f lavfi -i color=c=black:s=64x64:r=5:d=3"
    made = {}
    for name, codecs in CONTAINERS.items():
        video = name.startswith("clip.")
        inputs = [picture, "-i", CORPUS / "jfk.flac"] if video else ["-i", CORPUS / "jfk.flac"]
        mapping = "-map 0:v -map 1:a" if video else "-map 0:a"
        made[name] = run_ffmpeg(ffmpeg, *inputs, f"{mapping} -t 3 -ar 44100 {codecs}", folder / name)
    return made


class Quiet:
    def warning(self, message):
        pass

    def progress(self, fraction, label=None):
        pass


@pytest.mark.parametrize("decoder", DECODERS)
def test_the_containers_users_drop_still_decode(containers, tmp_path, decoder, monkeypatch):
    from dropscribe_stages.media import decoding as decode_module
    from dropscribe_stages.media.audio import wav_duration

    if decoder == "pyav":
        monkeypatch.setattr(decode_module, "find_ffmpeg", lambda: None)
    for name, source in containers.items():
        target = tmp_path / f"{name}.wav"
        probe, choice, used = decode_module.to_wav(source, target, None, Quiet())
        assert used == decoder and probe.has_video == name.startswith("clip."), name
        assert 2.8 < wav_duration(target) < 3.3, (name, wav_duration(target))
