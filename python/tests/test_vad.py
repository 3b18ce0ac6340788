from conftest import run_stage


def vad(audio, tmp_path, **kw):
    req = {
        "audio": audio,
        "outDir": str(tmp_path / "vad"),
        "threshold": 0.5,
        "minSilenceMs": 500,
        "speechPadMs": 100,
        **kw,
    }
    return run_stage("vad", req)


def test_silero_finds_the_speech_in_jfk(decoded, tmp_path):
    run = vad(decoded("jfk.flac"), tmp_path)
    assert run.exit_code == 0, run.stderr
    segs = run.result["segments"]
    assert isinstance(segs, list) and segs, "a {'segments': [...]} object with speech"
    assert all(0 <= s["start"] < s["end"] <= 11.01 for s in segs)
    assert 6.0 < run.result["speechSec"] < 11.0


def test_silero_runs_on_a_non_english_clip(decoded, tmp_path):
    run = vad(decoded("de_picovoice_test_de.wav"), tmp_path)
    assert run.exit_code == 0, run.stderr
    assert run.result["segments"] and run.result["speechSec"] > 2.0


def test_silence_gives_no_segments(tmp_path):
    import numpy as np

    from dropscribe_stages.media.audio import write_wav_atomic

    silent = tmp_path / "silence.wav"
    write_wav_atomic(silent, np.zeros(16000 * 3, dtype=np.float32))
    run = vad(str(silent), tmp_path)
    assert run.exit_code == 0 and run.result == {"segments": [], "speechSec": 0.0}
