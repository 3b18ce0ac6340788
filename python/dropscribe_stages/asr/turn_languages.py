"""Every turn in its own language: the turns of a transcript found to be in another language, transcribed again in it.

The first pass transcribes the speech in one language, as before (detected on its first 30 s). While it runs, each
30 s window it encodes is also asked which language it holds (WindowLanguages: one decoder step on the encoder output
the pass computes anyway, so a one-language recording costs next to nothing). Only when a window doubts the pass's
language does the turn pass run: each turn (a piece of the first pass's speech between pauses of PAUSE_SEC, inside
one speech region, or one 30 s window without voice detection) has its language detected on its own audio. A turn
too short to tell by itself (under SURE_SEC of speech or SURE_WORDS words: "Sí, claro") takes its language from the
turns of the same voice (resemblyzer vectors, the speaker encoder of the diarize stage) with its own guess weighed
by its length, so two words never flip a speaker's language on their own. When a turn is in another language than
the pass's, every run of neighbouring turns in one language is transcribed again on its own with its language forced
(and that language's vocabulary), as it would be in a recording of that language alone; the first pass had heard it
with the other languages' speech in its windows. Every segment and word then carries its `language`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..media.audio import SAMPLE_RATE
from ..runtime.typed_json import JsonObject
from ..speech.spans import join_speech
from ..speech.windows import spans_in

DOUBT = 0.2  # a window whose second language has this probability (or whose first is not the pass's) is doubted
SURE_SEC = 2.5  # a turn with less speech than this, or fewer words than SURE_WORDS, is told by its voice's turns
SURE_WORDS = 4
SAME_VOICE = 0.75  # cosine similarity of two turns' voice vectors taken as the same speaker
PAUSE_SEC = 0.5  # a pause this long between two words of a segment may be a change of turn
TURN_PAD = 1.0  # seconds of the pause before and after a turn transcribed again on its own (the first pass's word
# times of a turn it wrote in another language are often late or early by a few tenths)


def top_languages(pairs, allowed: list[str] | None) -> dict[str, float]:
    """{language: probability} from faster-whisper's [("<|xx|>" or "xx", p), ...], kept to `allowed` when given."""
    probs = {}
    for token, p in pairs:
        code = token[2:-2] if token.startswith("<|") else token
        if not allowed or code in allowed:
            probs[code] = float(p)
    total = sum(probs.values())
    return {k: v / total for k, v in probs.items()} if allowed and total > 0 else probs


@dataclass
class WindowLanguages:
    """The language distribution of each window a faster-whisper pass encodes (installed on the model for one pass)."""

    allowed: list[str] | None
    windows: list[dict[str, float]] = field(default_factory=list)

    def install(self, model) -> Callable[[], None]:
        """Wrap `model.encode`; returns what puts it back."""
        model.__dict__.pop("encode", None)  # a pass that failed in this warm worker left its wrapper
        encode = model.encode

        def watched(features):
            out = encode(features)
            try:
                self.windows.append(top_languages(model.model.detect_language(out)[0], self.allowed))
            except Exception:  # an English-only model has no language head: nothing to doubt
                pass
            return out

        model.encode = watched
        return lambda: model.__dict__.pop("encode", None)

    def doubted(self, language: str) -> bool:
        """Whether any window holds another language than `language` (first, or second with DOUBT or more)."""
        for probs in self.windows:
            ranked = sorted(probs.items(), key=lambda kv: -kv[1])
            if not ranked:
                continue
            if ranked[0][0] != language or (len(ranked) > 1 and ranked[1][1] >= DOUBT):
                return True
        return False


@dataclass
class Turn:
    start: float
    end: float
    speech: float
    words: int
    probs: dict[str, float]
    voice: np.ndarray | None = None
    language: str = ""

    @property
    def sure(self) -> bool:
        return self.speech >= SURE_SEC and self.words >= SURE_WORDS


def turns_of(segments: list[JsonObject], spans: list[JsonObject]) -> list[Turn]:
    """The first pass's speech as turns: its segments with text, cut where their words pause PAUSE_SEC or more (a
    segment may run two people's turns together), their speech measured on `spans`."""
    pieces = []
    for seg in segments:
        if not seg["text"].strip():
            continue
        words = [w for w in seg["words"] if w["word"].strip()]
        if not words:
            pieces.append((seg["start"], seg["end"], len(seg["text"].split())))
            continue
        first = 0
        for k in range(1, len(words) + 1):
            if k == len(words) or words[k]["start"] - words[k - 1]["end"] >= PAUSE_SEC:
                pieces.append((words[first]["start"], words[k - 1]["end"], k - first))
                first = k
    turns = []
    for start, end, count in pieces:
        speech = sum(s["end"] - s["start"] for s in spans_in(spans, start, end))
        turns.append(Turn(start, end, speech, count, {}))
    return turns


def decide(turns: list[Turn], fallback: str) -> None:
    """Each turn's language: its own when it is sure, else the pooled evidence of its voice's turns (and its own)."""
    for t in turns:
        if t.sure and t.probs:
            t.language = max(t.probs, key=lambda k: t.probs[k])
    for t in turns:
        if t.language:
            continue
        pooled: dict[str, float] = {k: v * t.speech for k, v in t.probs.items()}
        for o in turns:
            if o is t or not o.language or t.voice is None or o.voice is None:
                continue
            if float(t.voice @ o.voice) >= SAME_VOICE:
                pooled[o.language] = pooled.get(o.language, 0.0) + o.speech
        t.language = max(pooled, key=lambda k: pooled[k]) if pooled else fallback


def runs_to_redo(turns: list[Turn], language: str) -> list[tuple[str, list[Turn]]]:
    """Neighbouring turns in one language, as (language, turns) runs: none when every turn is in `language`, else
    all of them (a turn in the pass's language was heard with the others' speech in its 30 s windows; alone, in its
    language, it is written as it is in a recording of that language alone)."""
    if all(t.language == language for t in turns):
        return []
    runs: list[tuple[str, list[Turn]]] = []
    for t in turns:
        if runs and runs[-1][0] == t.language:
            runs[-1][1].append(t)
        else:
            runs.append((t.language, [t]))
    return runs


def detect_turns(model, samples, spans: list[JsonObject], turns: list[Turn], allowed: list[str] | None) -> None:
    """Each turn's language distribution, from its own speech; short turns also get a voice vector."""
    from ..speakers.encoder import SpeakerEncoder
    from ..speakers.model import load_encoder_weights
    from ..speakers.voice_windows import embed_clip

    encoder = None
    for t in turns:
        audio, _ = join_speech(samples, spans_in(spans, t.start, t.end))
        if len(audio) < SAMPLE_RATE // 10:
            continue
        _, _, pairs = model.detect_language(audio)
        t.probs = top_languages(pairs, allowed)
    if all(t.sure for t in turns):
        return
    encoder = SpeakerEncoder(load_encoder_weights())
    for t in turns:
        if t.end - t.start >= 0.8:
            t.voice = embed_clip(samples, t.start, t.end, encoder, 0.4)


def label(segments: list[JsonObject], language: str) -> list[JsonObject]:
    """Segments and their words marked with `language`."""
    return [
        {**seg, "language": language, "words": [{**w, "language": language} for w in seg["words"]]} for seg in segments
    ]


def speech_by_language(segments: list[JsonObject]) -> list[JsonObject]:
    """[{language, speechSec}] of labelled segments, most speech first."""
    time: dict[str, float] = {}
    for seg in segments:
        if seg["text"].strip():
            time[seg["language"]] = time.get(seg["language"], 0.0) + seg["end"] - seg["start"]
    return [{"language": k, "speechSec": round(v, 3)} for k, v in sorted(time.items(), key=lambda kv: -kv[1])]


def main_language(languages: list[JsonObject], language: str, probability: float) -> tuple[str, float]:
    """The recording's language and its probability: the pass's, unless another language holds the most speech
    (`languages` as speech_by_language gives them, most first); then its share of the speech."""
    if languages and languages[0]["language"] != language:
        return languages[0]["language"], languages[0]["speechSec"] / sum(x["speechSec"] for x in languages)
    return language, probability


def per_turn(model, samples, spans, segments, language, allowed, transcribe_again) -> list[JsonObject]:
    """The first pass's `segments` (in `language`), or when a turn is in another language, every run of turns in one
    language transcribed again in it: `transcribe_again(spans, language)` gives the segments of those spans."""
    turns = turns_of(segments, spans)
    detect_turns(model, samples, spans, turns, allowed)
    decide(turns, language)
    runs = runs_to_redo(turns, language)
    if not runs:
        return label(segments, language)
    out = []
    for k, (other, run) in enumerate(runs):
        # A turn is taken with TURN_PAD of the pause around it, never past halfway to the next.
        a, b = run[0].start - TURN_PAD, run[-1].end + TURN_PAD
        if k:
            a = max(a, (runs[k - 1][1][-1].end + run[0].start) / 2)
        if k + 1 < len(runs):
            b = min(b, (run[-1].end + runs[k + 1][1][0].start) / 2)
        out.extend(label(transcribe_again(spans_in(spans, a, b), other), other))
    return sorted(out, key=lambda s: s["start"])
