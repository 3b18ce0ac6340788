from dropscribe_stages.asr.segments import make_segment
from dropscribe_stages.speech.spans import SpanMapper


def test_times_in_joined_speech_map_back_to_the_recording():
    m = SpanMapper([{"start": 1.0, "end": 3.0}, {"start": 10.0, "end": 12.0}])
    assert m(0.0) == 1.0
    assert m(1.5) == 2.5
    assert m(2.0) == 10.0
    assert m(3.5) == 11.5
    assert m(9.0) == 12.0, "past the end clamps to the last span"


def test_segments_never_run_backwards_and_probabilities_stay_in_range():
    seg = make_segment(-0.2, -0.5, "  hi  ", [{"word": " hi", "start": 2.0, "end": 1.0, "probability": 1.7}])
    assert seg == {
        "start": 0.0,
        "end": 0.0,
        "text": "hi",
        "words": [{"word": " hi", "start": 2.0, "end": 2.0, "probability": 1.0}],
        "noSpeechProb": None,
        "avgLogprob": None,
        "compressionRatio": None,
        "weak": False,
    }


def test_quality_signals_are_clamped_and_flag_weak_passages():
    seg = make_segment(0, 1, "x", [], no_speech_prob=1.3, avg_logprob=-1.2, compression_ratio=1.1)
    assert seg["noSpeechProb"] == 1.0 and seg["avgLogprob"] == -1.2 and seg["weak"] is True
    assert make_segment(0, 1, "x", [], 0.1, -0.3, 1.2)["weak"] is False
    assert make_segment(0, 1, "x", [], 0.1, -0.3, 2.6)["weak"] is True, "a high compression ratio is a loop"
