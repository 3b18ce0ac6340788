"""The speaker count's rules: turns taken, similar voices, clearly different voices."""

import numpy as np

from dropscribe_stages.speakers.clusters import LIKE_VOICE, SAME_VOICE, distinct, take_turns


def labels(text: str) -> np.ndarray:
    return np.asarray([int(c) for c in text])


def test_voices_that_come_back_take_turns_and_a_split_in_one_place_does_not():
    assert take_turns(labels("0001110000111"))
    assert not take_turns(labels("0000001111111"))


def test_a_one_window_flicker_is_not_a_turn():
    assert not take_turns(labels("0000100001111"))


def test_similar_voices_are_two_speakers_only_when_they_alternate_and_only_two():
    between = (SAME_VOICE + LIKE_VOICE) / 2
    long_turns = labels("0" * 8 + "1" * 8 + "0" * 8 + "1" * 8)  # 4 s turns at the 0.5 s hop
    assert distinct(long_turns, between)
    assert not distinct(labels("0011001100"), between)  # one reader's phrases flip this fast
    assert not distinct(labels("0000011111"), between)
    assert not distinct(labels("0011220011220"), between)  # a third voice must differ clearly
    assert not distinct(long_turns, LIKE_VOICE)
    assert distinct(labels("0000011111"), SAME_VOICE - 0.01)


def test_one_reader_whose_phrases_alternate_in_level_is_one_speaker(tmp_path):
    """Issue 31 point 6: a real reader cut into turns at its pauses, shuffled, 0.3-3 s apart, each turn at its own
    level (-9..0 dB), as bench/single_reader_split.py builds them: the similar-voices rule split it in two."""
    from conftest import CORPUS
    from conversations import speech_runs
    from faster_whisper import decode_audio
    from test_diarize import diarize_file

    from dropscribe_stages.media.audio import SAMPLE_RATE, write_wav_atomic

    x = decode_audio(str(CORPUS / "fr_picovoice_test_fr.wav"), sampling_rate=SAMPLE_RATE)
    rng = np.random.default_rng(0)
    pieces = [x[a:b] for a, b in speech_runs(x) if b - a >= 0.4 * SAMPLE_RATE]
    audio, t = [np.zeros(SAMPLE_RATE // 2, np.float32)], 0.5
    while t < 45.0:
        for k in rng.permutation(len(pieces)):
            piece = pieces[k] * 10 ** (rng.uniform(-9.0, 0) / 20)
            gap = int(rng.uniform(0.3, 3.0) * SAMPLE_RATE)
            audio += [piece.astype(np.float32), np.zeros(gap, np.float32)]
            t += (len(piece) + gap) / SAMPLE_RATE
    write_wav_atomic(tmp_path / "reader.wav", np.concatenate(audio))
    found = diarize_file(str(tmp_path / "reader.wav"), tmp_path, recognised=False)
    assert [s["id"] for s in found["speakers"]] == ["S1"], found["speakers"]
