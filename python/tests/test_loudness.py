import numpy as np

from dropscribe_stages.media.audio import SAMPLE_RATE, activity_db
from dropscribe_stages.media.loudness import WINDOW_SEC, WINDOWS, sample_windows


def test_activity_of_silence_noise_and_a_mostly_quiet_track():
    assert activity_db(np.zeros(SAMPLE_RATE * 2, dtype=np.float32)) == -120.0
    assert activity_db(np.zeros(10, dtype=np.float32)) == -120.0, "shorter than one frame"
    rng = np.random.default_rng(1)
    hiss = rng.normal(0, 10 ** (-70 / 20), SAMPLE_RATE * 5).astype(np.float32)
    assert -75 < activity_db(hiss) < -65
    talk = hiss.copy()
    talk[: SAMPLE_RATE // 2] = 0.3 * np.sin(np.arange(SAMPLE_RATE // 2) * 0.1)  # 10% of the time, loud
    assert activity_db(talk) > -25, "short loud passages count: it is the loud moments that matter"


def test_short_files_are_read_whole_and_long_ones_sampled_evenly():
    assert sample_windows(30.0) == [(0.0, WINDOWS * WINDOW_SEC * 1.5)]
    assert sample_windows(0.0)[0][0] == 0.0, "unknown duration: read from the start"
    windows = sample_windows(3600.0)
    assert len(windows) == WINDOWS and all(length == WINDOW_SEC for _, length in windows)
    starts = [s for s, _ in windows]
    assert starts[0] == 0.0 and starts == sorted(starts) and starts[-1] + WINDOW_SEC < 3600
    assert starts[-1] >= 3600 * (WINDOWS - 1) / WINDOWS, "the end of the file is sampled too"


def test_levels_of_a_long_two_track_file_from_sampled_windows(tmp_path, ffmpeg):
    from pathlib import Path

    from conftest import CORPUS, run_ffmpeg

    from dropscribe_stages.media.loudness import levels_ffmpeg
    from dropscribe_stages.media.streams import probe_ffmpeg

    mkv = run_ffmpeg(
        ffmpeg,
        "-f lavfi -i anullsrc=r=48000:cl=stereo -stream_loop 20 -i",
        CORPUS / "jfk.flac",
        "-map 0:a -map 1:a -t 200 -c:a aac",
        tmp_path / "long.mkv",
    )
    probe = probe_ffmpeg(ffmpeg, Path(mkv))
    assert probe.duration > WINDOWS * WINDOW_SEC * 1.5, "long enough to be sampled in windows"
    levels = levels_ffmpeg(ffmpeg, mkv, probe.audio_streams, probe.duration, tmp_path)
    assert levels[0] == -120.0 and levels[1] > -30.0
    assert [p.name for p in tmp_path.iterdir()] == ["long.mkv"], "the sample files are removed"
