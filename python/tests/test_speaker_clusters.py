"""The speaker count's rules: turns taken, similar voices, clearly different voices."""

import numpy as np

from dropscribe_stages.speaker_clusters import LIKE_VOICE, SAME_VOICE, distinct, take_turns


def labels(text: str) -> np.ndarray:
    return np.asarray([int(c) for c in text])


def test_voices_that_come_back_take_turns_and_a_split_in_one_place_does_not():
    assert take_turns(labels("0001110000111"))
    assert not take_turns(labels("0000001111111"))


def test_a_one_window_flicker_is_not_a_turn():
    assert not take_turns(labels("0000100001111"))


def test_similar_voices_are_two_speakers_only_when_they_alternate_and_only_two():
    between = (SAME_VOICE + LIKE_VOICE) / 2
    assert distinct(labels("0011001100"), between)
    assert not distinct(labels("0000011111"), between)
    assert not distinct(labels("0011220011220"), between)  # a third voice must differ clearly
    assert not distinct(labels("0011001100"), LIKE_VOICE)
    assert distinct(labels("0000011111"), SAME_VOICE - 0.01)
