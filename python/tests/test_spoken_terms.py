"""The check of listed terms, on word probabilities and segment signals measured with base on espeak-ng recordings."""

from dropscribe_stages.asr.spoken_terms import strike_unspoken

NAMES = ["Saoirse", "Niamh", "Llanfairpwll", "Caernarfon", "Hugging Face", "Zyphrex"]


def segment(words, nsp=0.02, lp=-0.2):
    timed = [{"word": w, "start": float(i), "end": i + 0.5, "probability": p} for i, (w, p) in enumerate(words)]
    text = "".join(w for w, _ in words).strip()
    return {"start": 0.0, "end": len(words) - 0.5, "text": text, "words": timed, "noSpeechProb": nsp, "avgLogprob": lp}


def test_a_sentence_made_of_listed_terms_is_kept_when_the_audio_holds_them():
    # "Saoirse and Niamh visited Llanfairpwll on their way to Caernarfon", written as the names alone (issue 27).
    said = segment([(" Saoirse,", 0.252), (" Niamh,", 0.098), (" Llanfairpwll,", 0.041), (" Caernarfon.", 0.009)])
    kept, struck = strike_unspoken([said], NAMES)
    assert kept == [said] and struck == []


def test_a_term_the_audio_does_not_hold_is_struck_and_the_words_around_it_stay():
    # "Saoirse, Niamh and Deirdre": the recognizer went on with the glossary's next name.
    kept, struck = strike_unspoken(
        [segment([(" Saoirse,", 0.203), (" Niamh,", 0.104), (" Llanfairpwll.", 0.0067)])], NAMES
    )
    assert [s["text"] for s in kept] == ["Saoirse, Niamh"]
    assert [w["word"] for w in kept[0]["words"]] == [" Saoirse,", " Niamh,"]
    assert [(s.text, s.start) for s in struck] == [("Llanfairpwll", 2.0)]
    assert "word probability 0.007" in struck[0].reason


def test_a_term_unsure_and_squeezed_into_a_short_word_is_struck_but_a_sure_one_said_fast_is_kept():
    said = segment([(" Caernarfon,", 0.062), (" Niamh,", 0.0507), (" Terraform", 0.36)])
    said["words"][1]["end"] = said["words"][1]["start"] + 0.1  # "and"
    said["words"][2]["end"] = said["words"][2]["start"] + 0.22  # said fast
    kept, struck = strike_unspoken([said], NAMES + ["Terraform"])
    assert kept[0]["text"] == "Caernarfon, Terraform" and [s.text for s in struck] == ["Niamh"]
    assert "squeezed into 0.10 s" in struck[0].reason


def test_terms_recited_over_the_quiet_after_speech_go_with_their_segment():
    speech = segment([(" Grafana,", 0.136), (" Terraform", 0.815)])
    recited = segment([(" Names,", 0.3), (" Niamh,", 0.223), (" Llanfairpwll,", 0.004)], nsp=0.53, lp=-0.61)
    kept, struck = strike_unspoken([speech, recited], NAMES)
    assert kept == [speech] and not any(s.again for s in struck)
    assert [s.text for s in struck] == ["Names", "Niamh", "Llanfairpwll"]
    assert all("no speech" in s.reason for s in struck)


def test_a_term_repeated_unsure_within_seconds_is_a_loop_over_the_list_but_a_sure_one_is_said_again():
    looped = segment(
        [(" Saoirse,", 0.25), (" Niamh,", 0.12), (" visited,", 0.9), (" Niamh,", 0.339), (" Caernarfon.", 0.2)]
    )
    kept, struck = strike_unspoken([looped], NAMES)
    assert kept[0]["text"] == "Saoirse, Niamh, visited, Caernarfon." and [s.text for s in struck] == ["Niamh"]
    loop = segment([(" Llanfairpwll,", 0.0033), (" Llanfairpwll,", 0.7783)])  # "Ollama, Qwen and Mistral"
    kept, struck = strike_unspoken([loop], NAMES)
    assert kept == [] and [s.again for s in struck] == [(0.0, 1.5)] * 2, "sure of speech: transcribed again"
    said_twice = segment([(" Niamh", 0.6), (" called", 0.9), (" Niamh.", 0.7)])
    assert strike_unspoken([said_twice], NAMES) == ([said_twice], [])


def test_a_term_cut_short_and_a_term_of_two_words_are_checked_too():
    kept, struck = strike_unspoken(
        [segment([(" Thanks", 0.9), (" Llanfair.", 0.002), (" Hugging", 0.001), (" Face", 0.2)])], NAMES
    )
    assert kept[0]["text"] == "Thanks" and [s.text for s in struck] == ["Llanfair", "Hugging Face"]


def test_without_word_timings_only_a_segment_over_no_speech_loses_its_terms():
    said = {
        "start": 0.0,
        "end": 2.0,
        "text": "Saoirse met Niamh.",
        "words": [],
        "noSpeechProb": 0.1,
        "avgLogprob": -0.3,
    }
    recited = {**said, "text": "Zyphrex, Niamh, and so on", "noSpeechProb": 0.7, "avgLogprob": -0.8}
    kept, struck = strike_unspoken([said, recited], NAMES)
    assert [s["text"] for s in kept] == ["Saoirse met Niamh.", "and so on"]
    assert [s.text for s in struck] == ["Niamh", "Zyphrex"]


def test_without_a_vocabulary_nothing_is_checked():
    weak = segment([(" Zyphrex", 0.0001)])
    assert strike_unspoken([weak], None) == ([weak], [])
    assert strike_unspoken([weak], []) == ([weak], [])


def test_an_unsure_word_that_sounds_like_a_term_is_written_as_it_unless_that_term_would_be_struck():
    # "Saoirse, Niamh and Deirdre", heard "Sursh" (0.24) ... "Beirdre" (0.03); the term keeps the word's probability.
    kept, struck = strike_unspoken(
        [segment([(" Sursh,", 0.243), (" Niamh", 0.041), (" and", 0.315), (" Beirdre.", 0.032)])], NAMES + ["Deirdre"]
    )
    assert kept[0]["text"] == "Saoirse, Niamh and Deirdre." and struck == []
    # Heard where the audio holds next to nothing like Saoirse (word probability 0.005): left as heard, not struck.
    kept, struck = strike_unspoken([segment([(" Sursh,", 0.005), (" Niamh.", 0.041)])], NAMES)
    assert kept[0]["text"] == "Sursh, Niamh." and struck == []
