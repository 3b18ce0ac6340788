from dropscribe_stages.vocabulary_merge import merge


def seg(*words: tuple[str, float, float]) -> dict:
    return {
        "start": words[0][1] if words else 0.0,
        "end": words[-1][2] if words else 0.0,
        "text": "".join(w for w, _, _ in words),
        "words": [{"word": w, "start": s, "end": e, "probability": 0.9} for w, s, e in words],
    }


def test_only_the_hinted_spellings_of_listed_terms_replace_plain_words():
    plain = [seg((" Yesterday", 0.0, 0.5), (" Zyfrex", 0.5, 1.0), (" met", 1.0, 1.2), (" the", 1.2, 1.3))]
    hinted = [seg((" Yesterday,", 0.0, 0.5), (" Zyphrex", 0.5, 1.1), (" meets", 1.1, 1.2), (" the", 1.2, 1.3))]
    out = merge(plain, hinted, ["Zyphrex"])
    assert out[0]["text"] == " Yesterday Zyphrex met the", "'meets' is no listed term: the plain 'met' stays"
    assert [w["word"] for w in out[0]["words"]] == [" Yesterday", " Zyphrex", " met", " the"]
    assert out[0]["words"][1]["start"] == 0.5 and out[0]["words"][1]["end"] == 1.0, "timed like the word it replaces"


def test_a_two_word_spelling_replaces_the_plain_stretch_and_nothing_is_added_over_silence():
    plain = [seg((" the", 0.0, 0.2), (" cue", 0.2, 0.4), (" or", 0.4, 0.5), (" vain", 0.5, 0.8), (" team", 0.8, 1.0))]
    hinted = [seg((" the", 0.0, 0.2), (" Quorvane", 0.2, 0.8), (" team", 0.8, 1.0)), seg((" Zyphrex.", 5.0, 6.0))]
    out = merge(plain, hinted, ["Quorvane", "Zyphrex"])
    assert out[0]["text"] == " the Quorvane team"
    assert len(out) == 1, "the hinted pass's text where the plain pass heard nothing is not taken"


def test_without_a_difference_or_a_term_the_plain_pass_is_returned_unchanged():
    plain = [seg((" From", 0.0, 0.3), (" fairest", 0.3, 0.7), (" creatures", 0.7, 1.2))]
    hinted = [seg((" From", 0.0, 0.3), (" fairest", 0.3, 0.7), (" Kubernetes", 0.7, 1.2))]
    assert merge(plain, plain, ["Kubernetes"]) == plain
    assert merge(plain, hinted, ["Zyphrex"]) == plain
