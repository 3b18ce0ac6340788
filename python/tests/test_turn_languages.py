"""Every turn in its own language (turn_languages.py): the rules on made-up turns here, and (quality tier) real
conversations of two and three languages and the single-language corpus clips."""

import json

import numpy as np
import pytest
from conftest import manifest, run_stage, transcribe_request, wer

from dropscribe_stages.asr.turn_languages import (
    Turn,
    WindowLanguages,
    decide,
    label,
    main_language,
    runs_to_redo,
    speech_by_language,
    top_languages,
    turns_of,
)


def voice(k: int) -> np.ndarray:
    v = np.zeros(8, np.float32)
    v[k] = 1.0
    return v


def test_top_languages_reads_tokens_and_keeps_to_the_expected_ones():
    pairs = [("<|de|>", 0.6), ("<|es|>", 0.3), ("<|en|>", 0.1)]
    assert top_languages(pairs, None) == {"de": 0.6, "es": 0.3, "en": 0.1}
    narrowed = top_languages(pairs, ["es", "en"])
    assert set(narrowed) == {"es", "en"} and narrowed["es"] == pytest.approx(0.75)


def test_a_window_doubts_the_language_when_another_leads_or_comes_close():
    watch = WindowLanguages(None, [{"en": 0.97, "de": 0.01}, {"en": 0.95}])
    assert not watch.doubted("en")
    assert WindowLanguages(None, [{"en": 0.9}, {"fr": 0.6, "en": 0.4}]).doubted("en")
    assert WindowLanguages(None, [{"es": 0.7, "de": 0.25}]).doubted("es")


def test_a_two_word_turn_takes_its_voices_language_not_its_own_guess():
    turns = [
        Turn(0, 5, 4.5, 12, {"es": 0.8, "la": 0.2}, voice(0)),
        Turn(6, 11, 5.0, 10, {"de": 0.99}, voice(1)),
        Turn(12, 13, 0.9, 2, {"en": 0.36, "es": 0.05}, voice(0)),  # "Sí, claro." heard as English
        Turn(14, 19, 4.0, 11, {"de": 0.98}, voice(1)),
    ]
    decide(turns, "es")
    assert [t.language for t in turns] == ["es", "de", "es", "de"]


def test_a_short_turn_without_a_known_voice_keeps_its_own_evidence_or_the_pass_language():
    turns = [Turn(0, 1, 0.8, 2, {"fr": 0.9}, None), Turn(2, 3, 0.0, 1, {}, None)]
    decide(turns, "en")
    assert [t.language for t in turns] == ["fr", "en"]


def test_once_a_turn_is_in_another_language_every_run_of_one_language_is_redone_alone():
    turns = [Turn(i, i + 1, 1, 5, {}, language=lang) for i, lang in enumerate(["es", "de", "de", "es", "it"])]
    runs = runs_to_redo(turns, "es")
    assert [(lang, [t.start for t in run]) for lang, run in runs] == [
        ("es", [0]),
        ("de", [1, 2]),
        ("es", [3]),
        ("it", [4]),
    ]
    assert runs_to_redo([Turn(0, 1, 1, 5, {}, language="es")] * 3, "es") == []


def test_turns_are_cut_where_the_words_of_a_segment_pause():
    words = [
        {"word": " Sí,", "start": 11.6, "end": 11.9},
        {"word": " claro,", "start": 12.0, "end": 12.4},
        {"word": " por", "start": 13.5, "end": 13.7},
        {"word": " la", "start": 13.7, "end": 13.8},
    ]
    segments = [{"start": 11.6, "end": 13.8, "text": "Sí, claro, por la", "words": words}]
    turns = turns_of(segments, [{"start": 0.0, "end": 20.0}])
    assert [(t.start, t.end, t.words) for t in turns] == [(11.6, 12.4, 2), (13.5, 13.8, 2)]


def test_segments_and_words_carry_their_language_and_the_time_of_each_is_summed():
    segs = label([{"start": 0, "end": 2, "text": "hola", "words": [{"word": "hola"}]}], "es")
    segs += label(
        [{"start": 3, "end": 6, "text": "hallo", "words": []}, {"start": 7, "end": 8, "text": " ", "words": []}], "de"
    )
    assert segs[0]["words"][0]["language"] == "es"
    assert speech_by_language(segs) == [{"language": "de", "speechSec": 3.0}, {"language": "es", "speechSec": 2.0}]


# ---- quality tier: real conversations ----


def vad_spans(audio, folder):
    run = run_stage(
        "vad",
        {"audio": audio, "outDir": str(folder / "vad"), "threshold": 0.5, "minSilenceMs": 2000, "speechPadMs": 400},
    )
    assert run.exit_code == 0, run.stderr
    return run.result["segments"]


def transcribe(audio, folder, speech, **kw):
    run = run_stage("transcribe", transcribe_request(audio, folder, speech=speech, model="base", **kw))
    assert run.exit_code == 0, run.stderr
    return run.result, json.loads(open(run.result["transcript"]).read())["segments"]


def inside(segments, reference, i):
    """The segments spoken in turn `i` of `reference`: their middle nearer to it than to the turns around it (a
    turn's first word may be timed from the pause before it, so words are not counted one by one)."""
    turn = reference[i]
    start = (reference[i - 1].end + turn.start) / 2 if i else 0.0
    end = (turn.end + reference[i + 1].start) / 2 if i + 1 < len(reference) else float("inf")
    return [s for s in segments if s["text"].strip() and start <= (s["start"] + s["end"]) / 2 < end]


MARGINS = (0.0, 0.1, 0.2)


def check_conversation(tmp_path, build, languages=None, vad=True):
    audio = str(tmp_path / "conversation.wav")
    reference = build(tmp_path / "conversation.wav")
    speech = vad_spans(audio, tmp_path) if vad else None
    result, segments = transcribe(audio, tmp_path / "asr", speech, **({"languages": languages} if languages else {}))
    right = total = 0.0
    for i, turn in enumerate(reference):
        mine = inside(segments, reference, i)
        total += turn.end - turn.start
        said = sum(s["end"] - s["start"] for s in mine) or 1.0
        in_its_own = sum(s["end"] - s["start"] for s in mine if s["language"] == turn.language)
        right += (turn.end - turn.start) * in_its_own / said
        got = {s["language"] for s in mine}
        # The turn alone, its language forced, cut with 0, 0.1 and 0.2 s of its pauses: the same turn alone is written
        # a word differently with the cut (an espeak-ng "tarde" heard as "carne"), so it is measured against them all.
        alone_wers = []
        for k, margin in enumerate(MARGINS):
            cut = [{"start": max(0.0, turn.start - margin), "end": turn.end + margin}]
            _, alone = transcribe(audio, tmp_path / f"alone{i}-{k}", cut, language=turn.language)
            alone_wers.append(wer(turn.text, " ".join(s["text"] for s in alone)))
        alone_wer = max(alone_wers)
        text = " ".join(s["text"] for s in mine)
        print(
            f"turn {i} {turn.language} got {sorted(got)} wer {wer(turn.text, text):.3f} alone {alone_wer:.3f}: {text}"
        )
        assert wer(turn.text, text) <= alone_wer + 0.05, (i, text)
    print(f"language right for {right / total:.3f} of the speech; found {result['languages']}")
    assert right / total >= 0.95
    assert {x["language"] for x in result["languages"]} == {t.language for t in reference}


@pytest.mark.quality
def test_two_languages_each_turn_in_its_own(tmp_path):
    from language_conversations import two_languages

    check_conversation(tmp_path, two_languages)


@pytest.mark.quality
@pytest.mark.xfail(
    reason="issue 31, open: on a fresh install (2026-12-08: faster-whisper 1.2.1, ctranslate2 4.8.5) the first pass "
    "drops the German turn that straddles its first 30 s window (29.8-35.0 s), so no turn is made of it and it is "
    "never transcribed again, and the Italian turn comes out one word worse than alone (0.455 against 0.364 + 0.05); "
    "it passed on 2026-12-07's install. Deterministic here at 7837620 and at every commit since.",
    strict=False,
)
def test_three_languages_each_turn_in_its_own(tmp_path):
    from language_conversations import three_languages

    check_conversation(tmp_path, three_languages)


@pytest.mark.quality
def test_two_languages_without_voice_detection(tmp_path):
    """`vad: false`: the recording is one stretch, read 30 s at a time; its turns are still found."""
    from language_conversations import two_languages

    check_conversation(tmp_path, two_languages, vad=False)


@pytest.mark.quality
def test_expected_languages_narrow_what_a_turn_can_be(tmp_path):
    from language_conversations import two_languages

    check_conversation(tmp_path, two_languages, languages=["es", "de"])


@pytest.mark.quality
@pytest.mark.parametrize("clip", sorted(manifest()))
def test_a_single_language_clip_finds_no_second_language(decoded, tmp_path, clip):
    row = manifest()[clip]
    audio = decoded(clip)
    speech = vad_spans(audio, tmp_path)
    result, segments = transcribe(audio, tmp_path / "asr", speech)
    _, forced = transcribe(audio, tmp_path / "forced", speech, language=row["language"])
    found = wer(row["reference_transcript"], " ".join(s["text"] for s in segments))
    alone = wer(row["reference_transcript"], " ".join(s["text"] for s in forced))
    print(f"{clip}: languages {result['languages']} wer {found:.3f} (language forced: {alone:.3f})")
    assert [x["language"] for x in result["languages"]] == [row["language"]]
    assert {s["language"] for s in segments} == {row["language"]}
    assert found <= alone + 0.005


def test_the_main_language_is_the_passes_unless_another_holds_the_most_speech():
    assert main_language([], "en", 0.9) == ("en", 0.9)
    assert main_language([{"language": "en", "speechSec": 3.0}], "en", 0.9) == ("en", 0.9)
    languages = [{"language": "de", "speechSec": 3.0}, {"language": "en", "speechSec": 1.0}]
    assert main_language(languages, "en", 0.9) == ("de", 0.75)
