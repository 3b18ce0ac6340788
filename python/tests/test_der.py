"""The DER checker: missed, false alarm and confusion, with the best speaker mapping and the collar."""

from der import der, turns_from_words


def test_a_perfect_hypothesis_under_other_names_scores_zero():
    ref = [(0.0, 5.0, "a"), (6.0, 10.0, "b")]
    hyp = [(0.0, 5.0, "S2"), (6.0, 10.0, "S1")]
    assert der(ref, hyp)["der"] == 0.0


def test_missed_false_alarm_and_confusion_are_counted_outside_the_collar():
    ref = [(0.0, 10.0, "a"), (20.0, 30.0, "b")]
    hyp = [(0.0, 5.0, "x"), (12.0, 14.0, "x"), (20.0, 30.0, "x")]
    score = der(ref, hyp, collar=0.0)
    assert round(score["missed"], 3) == 0.25
    assert round(score["falseAlarm"], 3) == 0.1
    assert round(score["confusion"], 3) == 0.25  # x maps to b; its 5 s over a are confused


def test_the_collar_forgives_boundaries():
    ref = [(0.0, 10.0, "a")]
    hyp = [(0.2, 9.8, "x")]
    assert der(ref, hyp, collar=0.25)["der"] == 0.0
    assert der(ref, hyp, collar=0.0)["der"] > 0.0


def test_words_of_one_speaker_make_one_turn_until_a_pause_of_0_3_s():
    words = [(0.0, 0.5, "S1"), (0.6, 1.0, "S1"), (1.3, 2.0, "S1"), (2.1, 2.5, "S2")]
    segments = [{"words": [{"start": a, "end": b, "speaker": s} for a, b, s in words]}]
    assert turns_from_words(segments) == [(0.0, 1.0, "S1"), (1.3, 2.0, "S1"), (2.1, 2.5, "S2")]
