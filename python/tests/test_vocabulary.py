import json
import os
import time
import wave
from pathlib import Path

import pytest
from conftest import manifest, run_stage, transcribe_request, typed_request, wer
from vocabulary_clips import (
    NAMES,
    NAMES_SCRIPT,
    TERMS,
    Clip,
    have_espeak,
    hits,
    hits_by_clip,
    join_clips,
    make_clips,
    unspoken,
)

from dropscribe_stages.asr import vocabulary

needs_espeak = pytest.mark.skipif(
    not have_espeak() and not os.environ.get("CI"), reason="espeak-ng is not installed (.ci/run installs it)"
)


def segments_of(run) -> list[dict]:
    assert run.exit_code == 0, run.stderr
    return json.loads(open(run.result["transcript"]).read())["segments"]


def test_the_vocabulary_is_one_sentence_naming_the_terms_as_hotwords_or_before_the_previous_words():
    assert vocabulary.hotwords(["Zyphrex", "Quorvane"]) == "Names: Zyphrex, Quorvane."
    assert vocabulary.hotwords([]) is None and vocabulary.hotwords(None) is None
    assert vocabulary.prompt(["Zyphrex"], None) == "Glossary: Zyphrex."
    assert vocabulary.prompt(["Zyphrex"], " and so on") == "Glossary: Zyphrex. and so on"
    assert vocabulary.prompt(None, "and so on") == "and so on"
    assert vocabulary.prompt([], None) is None


def test_the_vocabulary_is_given_only_where_the_text_written_is_in_its_language():
    def request(**fields):
        return typed_request(
            "transcribe", transcribe_request("a.wav", Path("out"), **{"vocabulary": ["Zyphrex"], **fields})
        )

    assert vocabulary.for_speech(request(), "en") == ["Zyphrex"], "English by default"
    assert vocabulary.for_speech(request(), "de") is None
    assert vocabulary.for_speech(request(), None) == ["Zyphrex"], "language not known (mlx detects it itself)"
    assert vocabulary.for_speech(request(vocabularyLanguage="de"), "de") == ["Zyphrex"]
    assert vocabulary.for_speech(request(vocabularyLanguage="de"), "en") is None
    assert vocabulary.for_speech(request(task="translate"), "de") == ["Zyphrex"], "a translation is English"
    assert vocabulary.for_speech(request(vocabulary=[]), "en") is None


def transcribed(clip, out_dir: Path, terms: list[str] | None) -> dict:
    """The transcript of one recording by the transcribe stage's own code, in this process (the model loads once)."""
    from dropscribe_stages import transcribe as stage
    from dropscribe_stages.runtime.protocol import Channel

    given = {"vocabulary": terms} if terms else {}
    request = transcribe_request(str(clip.path), out_dir, model="base", **given)
    with open(os.devnull, "w") as sink:
        result = stage.run(typed_request("transcribe", request), Channel(sink))
    return json.loads(open(result["transcript"]).read())


@needs_espeak
def test_the_two_sentences_a_job_got_wrong_are_kept_without_terms_never_said(tmp_path, ffmpeg):
    """Issue 27: "Saoirse and Niamh visited Llanfairpwll on their way to Caernarfon" was left out as a recited list,
    and "The new Pixtral and Qwen models beat Llama on the benchmark" came out with listed names never said."""
    for i, clip in enumerate(make_clips(tmp_path / "clips", ffmpeg, NAMES_SCRIPT[:2], NAMES)):
        transcript = transcribed(clip, tmp_path / f"asr{i}", NAMES)
        text = " ".join(s["text"] for s in transcript["segments"])
        assert text.strip(), f"{clip.text!r} was left out: {transcript['suppressed']}"
        assert unspoken(clip.terms, text, NAMES) == [], f"{clip.text!r} came out as {text!r}"


@pytest.mark.quality
@needs_espeak
def test_listed_terms_come_out_right_in_every_window_of_a_long_recording(tmp_path, ffmpeg):
    clips = make_clips(tmp_path / "clips", ffmpeg)
    long = tmp_path / "long.wav"
    ranges = join_clips(clips, long)
    assert ranges[-1][1] > 60, "long enough for three 30 s recognizer windows"
    run = run_stage("transcribe", transcribe_request(str(long), tmp_path / "asr", model="base", vocabulary=TERMS))
    segments = segments_of(run)
    text = " ".join(s["text"] for s in segments)
    per_clip = hits_by_clip([w for s in segments for w in s["words"]], clips, ranges)
    total = sum(len(c.terms) for c in clips)
    late = [i for i, (start, _) in enumerate(ranges) if start >= 30]
    late_right, late_total = sum(per_clip[i] for i in late), sum(len(clips[i].terms) for i in late)
    print(f"terms right: {sum(per_clip)}/{total}, after 30 s {late_right}/{late_total}: {text}")
    # Measured 26/36 (13/18 after 30 s), then 27/36 (14/18); without a vocabulary about 1 in 36: the terms reach
    # the later windows.
    assert sum(per_clip) >= 0.6 * total, text
    assert late_right >= 0.5 * late_total, text


@pytest.mark.quality
@needs_espeak
def test_listed_terms_come_out_right_in_three_quarters_of_occurrences_in_twelve_recordings(tmp_path, ffmpeg):
    """The issue's measure (bench/vocabulary.py has faster-whisper called directly beside it): the transcribe stage's
    own code, in this process so the model loads once."""
    clips = make_clips(tmp_path / "clips", ffmpeg)
    right, extra = 0, []
    for i, clip in enumerate(clips):
        text = " ".join(s["text"] for s in transcribed(clip, tmp_path / f"asr{i}", TERMS)["segments"])
        right += hits(clip.terms, text)
        extra += unspoken(clip.terms, text, TERMS)
    total = sum(len(c.terms) for c in clips)
    print(f"terms right in {len(clips)} recordings: {right}/{total}; listed terms written but not said: {extra}")
    assert right >= 0.75 * total


@pytest.mark.quality
@needs_espeak
def test_names_said_are_written_names_never_said_are_not_and_no_sentence_is_left_out(tmp_path, ffmpeg, monkeypatch):
    """Issue 27's measure: the sixteen names recordings (two voices) with a vocabulary of their 15 names and 5 never
    said. The check of the listed terms may cost at most a tenth of the transcription."""
    from dropscribe_stages import transcribe as stage

    spent = []

    def timed(step):
        def run(*args):
            started = time.perf_counter()
            try:
                return step(*args)
            finally:
                spent.append(time.perf_counter() - started)

        return run

    # The check: striking the terms, and transcribing again what held only struck terms.
    monkeypatch.setattr(stage, "strike_unspoken", timed(stage.strike_unspoken))
    monkeypatch.setattr(stage, "heard_again", timed(stage.heard_again))
    clips = make_clips(tmp_path / "clips", ffmpeg, NAMES_SCRIPT, NAMES)
    right, extra, left_out, took = 0, [], [], 0.0
    for i, clip in enumerate(clips):
        started = time.perf_counter()
        transcript = transcribed(clip, tmp_path / f"asr{i}", NAMES)
        took += time.perf_counter() - started
        text = " ".join(s["text"] for s in transcript["segments"])
        right += hits(clip.terms, text)
        extra += unspoken(clip.terms, text, NAMES)
        if not text.strip():
            left_out.append(clip.text)
        print(f"{clip.text} -> {text}")
    total = sum(len(c.terms) for c in clips)
    print(
        f"said terms written: {right}/{total} ({right / total:.2f}); written but never said: {extra}; sentences left"
        f" out: {left_out}; the check took {sum(spent) * 1000:.1f} ms of {took:.1f} s ({sum(spent) / took:.2%})"
    )
    assert left_out == []
    assert extra == []
    # The issue asks 0.8. The decode alone writes 38-39/50 with "Names: ..." (40/50 with "Glossary: ...", which cost the
    # corpus 0.025 of WER with an unrelated list); unsure words that sound like a listed term written as it
    # (asr/respelled_terms.py: "Quwen", "Beirdre", "Big Stroll", "Rama", "Sursh") make it 43/50. Still missed: names
    # espeak-ng reads far from their sound (Niamh "I am", Saoirse "So shall") or heard as other words ("Pixel",
    # "Nupix, Troll", "armor").
    assert right >= 0.8 * total
    assert sum(spent) <= 0.1 * took


# A vocabulary with nothing to do with the corpus (the recordings are a speech, a novel, sonnets, news).
UNRELATED = ["Kubernetes", "PostgreSQL", "Zyphrex", "Quorvane", "Grafana", "OAuth", "Terraform", "Nginx"]


@pytest.mark.quality
def test_an_unrelated_vocabulary_costs_the_corpus_at_most_a_hundredth_of_word_error_rate(decoded, tmp_path):
    """Pooled over every reference word of ../shared/corpus; the two runs alternate clip by clip."""
    errors, words = {"none": 0.0, "unrelated": 0.0}, 0
    for name, entry in manifest().items():
        audio, n = Path(decoded(name)), len(entry["reference_transcript"].split())
        for run, terms in (("none", None), ("unrelated", UNRELATED)):
            clip = Clip(audio, entry["reference_transcript"], [])
            text = " ".join(s["text"] for s in transcribed(clip, tmp_path / f"{run}-{name}", terms)["segments"])
            errors[run] += wer(entry["reference_transcript"], text) * n
            print(f"{name} {run}: {wer(entry['reference_transcript'], text):.3f}")
        words += n
    none, unrelated = errors["none"] / words, errors["unrelated"] / words
    print(f"pooled WER over {words} words: none {none:.4f}, unrelated vocabulary {unrelated:.4f}")
    assert unrelated - none <= 0.01


def test_twenty_seconds_of_silence_with_a_vocabulary_and_no_vad_give_no_text(tmp_path):
    """The job's language is set (English, the vocabulary's), so the terms reach the recognizer over the silence:
    left to detect it, base hears Welsh in silence, is given no vocabulary, and spends 28 s looking for each turn's
    language."""
    silent = tmp_path / "silence.wav"
    with wave.open(str(silent), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(b"\0\0" * 16000 * 20)
    request = transcribe_request(
        str(silent), tmp_path / "asr", model="base", vocabulary=TERMS, speech=None, language="en"
    )
    segments = segments_of(run_stage("transcribe", request))
    assert [s["text"] for s in segments if s["text"].strip()] == []


def test_an_english_vocabulary_leaves_german_speech_as_it_was(decoded, tmp_path):
    """The corpus's German clip: given the vocabulary as if it were German (vocabularyLanguage "de"), base writes it
    differently (checked); the English vocabulary is not given to German speech, so the text is the same."""
    from dropscribe_stages import transcribe as stage
    from dropscribe_stages.runtime.protocol import Channel

    audio = decoded("de_picovoice_test_de.wav")
    texts = []
    with open(os.devnull, "w") as sink:
        for i, terms in enumerate([None, TERMS]):
            given = {"vocabulary": terms} if terms else {}
            request = transcribe_request(audio, tmp_path / f"asr{i}", model="base", **given)
            result = stage.run(typed_request("transcribe", request), Channel(sink))
            assert result["language"] == "de" and result["languageProbability"] > 0.5
            texts.append(" ".join(s["text"] for s in json.loads(open(result["transcript"]).read())["segments"]))
    assert texts[1] == texts[0]
