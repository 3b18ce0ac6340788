import json

import numpy as np
import pytest
from conftest import run_stage, wer

from dropscribe_stages.media.audio import map_wav, read_samples, read_wav, write_wav_atomic
from dropscribe_stages.speech.windows import plan_windows, quietest_point, spans_in, split_long_spans


def spans_of(lengths, pause=2.0):
    """Spans of the given speech lengths with `pause` (a number or a list) between them."""
    out, t = [], 0.0
    for i, n in enumerate(lengths):
        out.append({"start": t, "end": t + n})
        t += n + (
            pause[i] if isinstance(pause, list) and i < len(pause) else pause if not isinstance(pause, list) else 0
        )
    return out


def test_a_short_recording_is_one_window():
    w = plan_windows(spans_of([60, 60, 60]), 300, 600)
    assert [(x["firstSpan"], x["spanCount"]) for x in w] == [(0, 3)]
    assert w[0]["start"] == 0 and w[0]["end"] == 184


def test_windows_cut_at_the_longest_pause_within_the_bounds():
    # 12 spans of 60 s; the pause after span 6 (420 s of speech) is the longest allowed cut.
    pauses = [1.0] * 11
    pauses[6] = 5.0
    pauses[2] = 9.0  # longer, but only 180 s of speech before it: below the 300 s minimum
    w = plan_windows(spans_of([60] * 12, pauses), 300, 600)
    assert [(x["firstSpan"], x["spanCount"]) for x in w] == [(0, 7), (7, 5)]
    assert [x["speechSec"] for x in w] == [420, 300]


def test_windows_cover_every_span_once_in_order_and_stay_under_the_maximum():
    rng = np.random.default_rng(7)
    lengths = list(rng.uniform(5, 90, 150))
    spans = spans_of(lengths, list(rng.uniform(0.5, 6, 149)))
    w = plan_windows(spans, 300, 600)
    assert sum(x["spanCount"] for x in w) == len(spans)
    assert all(a["firstSpan"] + a["spanCount"] == b["firstSpan"] for a, b in zip(w, w[1:], strict=False))
    assert all(x["speechSec"] <= 600 for x in w)
    assert all(x["speechSec"] >= 150 for x in w[:-1]), "no sliver windows before the last"
    assert [x["index"] for x in w] == list(range(len(w)))


def test_a_span_longer_than_a_window_gets_one_of_its_own():
    w = plan_windows(spans_of([30, 700, 30]), 300, 600)
    assert [(x["firstSpan"], x["spanCount"]) for x in w] == [(0, 1), (1, 1), (2, 1)]


def test_bad_bounds_are_refused():
    with pytest.raises(ValueError):
        plan_windows(spans_of([10]), 600, 300)


def test_spans_in_clips_to_the_window():
    spans = spans_of([10, 10, 10])  # 0-10, 12-22, 24-34
    assert spans_in(spans, 12, 22) == [{"start": 12, "end": 22}]
    assert spans_in(spans, 5, 13) == [{"start": 5, "end": 10}, {"start": 12, "end": 13}]


def test_long_spans_are_split_at_their_quietest_moment_into_adjacent_pieces():
    frame = 0.032
    quiet = np.full(int(400 / frame), 0.9)
    quiet[int(100 / frame) : int(100.5 / frame)] = 0.02  # a half-second pause at 100 s
    quiet[int(250 / frame) : int(250.2 / frame)] = 0.02  # a shorter one at 250 s
    pieces = split_long_spans([{"start": 0.0, "end": 400.0}], quiet, frame, max_span=200)
    assert pieces[0]["start"] == 0.0 and pieces[-1]["end"] == 400.0
    assert all(a["end"] == b["start"] for a, b in zip(pieces, pieces[1:], strict=False)), "adjacent: no audio lost"
    assert all(p["end"] - p["start"] <= 200 for p in pieces)
    assert abs(pieces[0]["end"] - 100.25) < 0.05
    assert any(abs(p["end"] - 250.1) < 0.05 for p in pieces)


def test_quietest_point_takes_the_longest_run_at_the_lowest_level():
    q = [0.9, 0.3, 0.9, 0.3, 0.3, 0.3, 0.9, 0.02, 0.9]  # levels are compared to one decimal
    assert quietest_point(q, 1.0, 0, 9) == 7.5
    assert quietest_point(q, 1.0, 0, 7) == 4.5


def test_memory_mapped_samples_equal_the_read_ones(tmp_path):
    path = tmp_path / "a.wav"
    write_wav_atomic(path, np.sin(np.arange(48000) / 10.0).astype(np.float32) * 0.5)
    mapped = map_wav(path)
    assert isinstance(mapped, np.memmap)
    assert np.array_equal(read_samples(mapped, 0, 99), read_wav(path))
    assert np.array_equal(read_samples(mapped, 0.5, 1.25), read_wav(path)[8000:20000])


def test_silero_in_pieces_gives_faster_whispers_probabilities_and_spans(decoded):
    from faster_whisper.vad import VadOptions, get_speech_timestamps, get_vad_model

    from dropscribe_stages.speech import silero

    path = decoded("en_librivox_shakespeare_sonnet001.mp3")
    audio = read_wav(path)
    old = silero.BATCH_FRAMES
    silero.BATCH_FRAMES = 300  # many pieces in a 53 s clip: state and context must carry across them
    try:
        probs = silero.speech_probabilities(map_wav(path))
    finally:
        silero.BATCH_FRAMES = old
    whole = get_vad_model()(np.pad(audio, (0, 512 - len(audio) % 512))).reshape(-1)
    assert probs.shape == whole.shape
    assert np.abs(probs - whole).max() < 1e-4
    for threshold, silence, pad in [(0.5, 2000, 400), (0.5, 300, 100)]:
        expected = get_speech_timestamps(
            audio, VadOptions(threshold=threshold, min_silence_duration_ms=silence, speech_pad_ms=pad)
        )
        assert silero.speech_spans(whole, len(audio), threshold, silence, pad) == expected


def test_vad_stage_plans_windows_when_asked(decoded, tmp_path):
    req = {
        "audio": decoded("en_librivox_shakespeare_sonnet001.mp3"),
        "outDir": str(tmp_path / "vad"),
        "threshold": 0.5,
        "minSilenceMs": 300,
        "speechPadMs": 100,
        "windowMinSec": 5,
        "windowMaxSec": 20,
    }
    run = run_stage("vad", req)
    assert run.exit_code == 0, run.stderr
    spans, windows = run.result["segments"], run.result["windows"]
    assert len(windows) >= 3
    assert sum(w["spanCount"] for w in windows) == len(spans)
    assert all(w["speechSec"] <= 20 for w in windows)


def test_transcribe_one_window_reads_only_its_speech_with_times_in_the_recording(decoded, tmp_path):
    audio = decoded("jfk.flac")
    req = {
        "audio": audio,
        "outDir": str(tmp_path / "asr"),
        "speech": [{"start": 0.0, "end": 3.5}, {"start": 3.9, "end": 11.0}],
        "backend": "faster-whisper",
        "model": "tiny.en",
        "language": "en",
        "task": "transcribe",
        "wordTimestamps": True,
        "beamSize": 5,
        "cpuThreads": 1,
        "computeType": "int8",
        "languageMismatch": "warn",
        "window": {"index": 1, "count": 2, "start": 3.9, "end": 11.0},
        "initialPrompt": "And so, my fellow Americans,",
    }
    run = run_stage("transcribe", req)
    assert run.exit_code == 0, run.stderr
    segs = json.loads(open(run.result["transcript"]).read())["segments"]
    text = " ".join(s["text"] for s in segs).lower()
    assert "fellow americans" not in text, "the first window's speech is not read"
    assert wer("ask not what your country can do for you, ask what you can do for your country", text) <= 0.15, text
    words = [w for s in segs for w in s["words"]]
    assert all(3.9 <= w["start"] <= w["end"] <= 11.0 for w in words)
    assert any(e["event"] == "progress" and e.get("message", "").startswith("window 2/2") for e in run.events)


def test_pcm_file_reads_slices_from_disk(tmp_path):
    from dropscribe_stages.media.audio import PcmFile

    path = tmp_path / "a.wav"
    write_wav_atomic(path, np.sin(np.arange(48000) / 10.0).astype(np.float32) * 0.5)
    pcm = PcmFile(path)
    assert len(pcm) == 48000
    assert np.array_equal(read_samples(pcm, 0.5, 1.25), read_wav(path)[8000:20000])
    assert len(pcm[47990:48100]) == 10 and len(pcm[5:5]) == 0


def test_piecewise_features_equal_faster_whispers(decoded):
    from faster_whisper.feature_extractor import FeatureExtractor

    from dropscribe_stages.asr import features

    audio = read_wav(decoded("en_librivox_shakespeare_sonnet001.mp3"))
    old = features.PIECE_FRAMES
    features.PIECE_FRAMES = 700  # several pieces in 53 s
    try:
        for n in (0, 479, 481, 16000 * 7 + 3, len(audio)):
            expected = FeatureExtractor(feature_size=80)(audio[:n], chunk_length=30)
            got = features.PiecewiseFeatures(FeatureExtractor(feature_size=80))(audio[:n], chunk_length=30)
            assert got.shape == expected.shape
            assert got.size == 0 or np.abs(got - expected).max() < 1e-4
    finally:
        features.PIECE_FRAMES = old
