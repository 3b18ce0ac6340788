from types import SimpleNamespace

from dropscribe_stages.speakers.regions import speech_regions


def test_the_requests_vad_spans_come_first():
    speech = [SimpleNamespace(start=0.0, end=1.0), SimpleNamespace(start=2.0, end=2.0)]
    assert speech_regions(speech, []) == [(0.0, 1.0)]


def test_else_words_closer_than_the_gap_are_one_region():
    segments = [
        {"start": 0.0, "end": 2.0, "words": [{"start": 0.0, "end": 0.5}, {"start": 0.6, "end": 1.0}]},
        {"start": 3.0, "end": 4.0},  # no words: the segment itself
    ]
    assert speech_regions(None, segments) == [(0.0, 1.0), (3.0, 4.0)]
