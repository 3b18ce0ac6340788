from dropscribe_stages.asr.quality import split_invented


def seg(text, nsp, lp):
    return {"start": 0.0, "end": 1.0, "text": text, "noSpeechProb": nsp, "avgLogprob": lp}


def test_whisper_over_silence_and_tones_is_left_out_with_a_reason():
    # Values measured with tiny.en: silence -> "You" (0.94, -0.78); a 440 Hz tone -> "You can do that." (0.40, -1.95).
    kept, suppressed = split_invented(
        [
            seg(" You", 0.94, -0.78),
            seg(" You can do that.", 0.40, -1.95),
            seg(" And so my fellow Americans", 0.02, -0.28),
            seg("  ", 0.0, -0.1),
        ]
    )
    assert [s["text"] for s in kept] == [" And so my fellow Americans"]
    assert [s["reason"].split()[0] for s in suppressed] == ["no-speech", "mean", "empty"]


def test_real_speech_with_a_middling_no_speech_probability_is_kept():
    # tiny.en on the LibriVox sonnet: 0.51 / -0.28 on every segment.
    kept, suppressed = split_invented([seg(" 1. From fairest creatures", 0.51, -0.28)])
    assert len(kept) == 1 and suppressed == []
