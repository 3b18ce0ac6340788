from dropscribe_stages.asr.sounds import distance, likeness, sound_key


def test_the_key_reads_english_spelling_one_letter_a_sound():
    assert sound_key("Pixtral") == "pikstral"
    assert sound_key("Qwen") == sound_key("Quwen") == "kwen"
    assert sound_key("Saoirse") == "sars", "a run of vowels is its first vowel, a silent final e goes"
    assert sound_key("Shoe") == "Xo" and sound_key("church") == "CurC" and sound_key("thing") == "Ting"
    assert sound_key("Cecil") == "sesil" and sound_key("Knight") == "nit"
    assert sound_key("Llama") == "lama", "doubled letters are one sound"
    assert sound_key("Zoë") == "zo" and sound_key("O'Brien, Ltd.") == "obrinltd"


def test_sounds_a_listener_confuses_cost_less_than_a_different_sound():
    assert distance("kwen", "kwen") == 0
    assert distance("bat", "pat") < distance("sat", "pat") == 1
    assert distance("sat", "sit") < distance("sat", "st") < distance("sat", "at")
    assert distance("lama", "rama") == 0.5


def test_names_heard_as_other_words_are_alike_and_other_words_are_not():
    def alike(a, b):
        return likeness(sound_key(a), sound_key(b))

    assert alike("Big Stroll", "Pixtral") > 0.85
    assert alike("Beirdre", "Deirdre") > 0.85
    assert alike("Sursh", "Saoirse") > 0.8
    assert alike("Pixel", "Pixtral") < 0.8, "two sounds missing"
    assert alike("armor", "Llama") < 0.5
    assert alike("country", "Kubernetes") < 0.5
    assert likeness("", "") == 0
