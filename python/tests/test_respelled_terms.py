from dropscribe_stages.asr.respelled_terms import respell_terms


def segment(*words: tuple[str, float], language: str = "en") -> dict:
    """A segment of (word, probability), each word 0.3 s long."""
    timed = [{"word": w, "start": 0.3 * i, "end": 0.3 * i + 0.3, "probability": p} for i, (w, p) in enumerate(words)]
    return {"start": 0.0, "end": 0.3 * len(words), "text": "".join(w for w, _ in words).strip(), "words": timed,
            "language": language}  # fmt: skip


NAMES = ["Pixtral", "Qwen", "Deirdre", "Mistral", "Gemma"]


def test_unsure_words_that_sound_like_a_listed_term_are_written_as_it():
    got, respelled = respell_terms(
        [segment((" Mistral,", 0.22), (" Gemma,", 0.02), (" Big", 0.17), (" Stroll.", 0.45))], NAMES
    )
    assert got[0]["text"] == "Mistral, Gemma, Pixtral."
    last = got[0]["words"][-1]
    assert (last["word"], last["start"], last["end"], last["probability"]) == (" Pixtral.", 0.6, 1.2, 0.17)
    assert [(r.heard, r.term) for r in respelled] == [("Big Stroll.", "Pixtral")]
    got, _ = respell_terms([segment((" Quwen", 0.03), (" and", 0.45), (" Beirdre.", 0.03))], NAMES)
    assert got[0]["text"] == "Qwen and Deirdre."


def test_a_word_the_recognizer_was_sure_of_is_kept():
    segments = [segment((" Big", 0.9), (" Stroll.", 0.45))]
    assert respell_terms(segments, NAMES) == (segments, [])


def test_words_not_alike_enough_ambiguous_or_across_punctuation_are_kept():
    for words, terms in [
        [((" Pixel", 0.25),), NAMES],  # two sounds missing
        [((" Big,", 0.17), (" Stroll.", 0.45)), NAMES],  # two words of a list, not one name
        [((" Quwen", 0.03),), ["Qwen", "Kwen"]],  # as like one term as the other
    ]:
        segments = [segment(*words)]
        assert respell_terms(segments, terms) == (segments, []), words


def test_one_term_listed_twice_is_one_term():
    got, _ = respell_terms([segment((" Quwen", 0.03))], ["Qwen", "qwen"])
    assert got[0]["text"] == "Qwen"


def test_listed_terms_short_keys_other_languages_and_no_vocabulary_are_left_alone():
    cases = [
        ([segment((" Gemma", 0.01))], ["Gemma", "Gamma"]),  # already a listed term
        ([segment((" oath", 0.1))], ["OAuth"]),  # a key of two sounds is like too many words
        ([segment((" Kwen", 0.1), language="de")], NAMES),
        ([segment((" Kwen", 0.1))], None),
        ([{"start": 0, "end": 1, "text": "Kwen", "words": []}], NAMES),
    ]
    for segments, terms in cases:
        assert respell_terms(segments, terms) == (segments, [])
