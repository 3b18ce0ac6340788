"""Word edges moved onto the speech runs of Silero's frame probabilities."""

import numpy as np

from dropscribe_stages.speech.edges import FRAME_SEC, align_segments, speech_runs


def probs(*spans: tuple[float, float], total: float = 10.0) -> np.ndarray:
    out = np.zeros(int(total / FRAME_SEC), np.float32)
    for a, b in spans:
        out[int(round(a / FRAME_SEC)) : int(round(b / FRAME_SEC))] = 0.9
    return out


def test_runs_keep_short_silences_inside_and_end_at_long_ones():
    runs = speech_runs(probs((1.0, 2.0), (2.1, 3.0), (4.0, 5.0)))
    assert [(round(a, 1), round(b, 1)) for a, b in runs] == [(1.0, 3.0), (4.0, 5.0)]


def test_words_are_trimmed_to_speech_close_gaps_and_reach_the_run_edges():
    runs = [(1.0, 3.0), (4.0, 5.0)]
    words = [(1.2, 1.8), (2.0, 3.9), (4.0, 4.5)]  # the second stretches over the pause; the run 1-3 starts earlier
    segment = {
        "start": 1.2,
        "end": 4.5,
        "text": "a b c",
        "words": [{"word": " w", "start": a, "end": b} for a, b in words],
    }
    out = align_segments([segment], runs)[0]
    assert [(w["start"], w["end"]) for w in out["words"]] == [(1.0, 1.9), (1.9, 3.0), (4.0, 5.0)]
    assert (out["start"], out["end"]) == (1.0, 5.0)


def test_a_word_without_speech_under_it_keeps_its_timing():
    segment = {"start": 6.0, "end": 6.5, "text": "x", "words": [{"word": " x", "start": 6.0, "end": 6.5}]}
    assert align_segments([segment], [(1.0, 3.0)])[0]["words"][0] == segment["words"][0]


def test_reaching_out_never_overlaps_a_neighbour_outside_the_run():
    runs = [(1.0, 3.0)]
    words = [(0.2, 1.1), (1.5, 2.0), (2.95, 3.5)]  # the first and last lie mostly outside the run
    segment = {
        "start": 0.2,
        "end": 3.5,
        "text": "a b c",
        "words": [{"word": " w", "start": a, "end": b} for a, b in words],
    }
    out = [(w["start"], w["end"]) for w in align_segments([segment], runs)[0]["words"]]
    assert all(a < b for a, b in out) and all(out[k][1] <= out[k + 1][0] for k in range(len(out) - 1)), out
