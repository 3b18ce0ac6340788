"""Judge recognized segments: keep real speech, flag weak passages, drop what Whisper invents over non-speech.

Whisper, given silence, a tone or music, tends to write "You" or "Thanks for watching". Its own per-segment
signals tell these apart: the no-speech probability, the mean log-probability of the tokens, and the
compression ratio of the text (high for loops of repeated words). Listed terms of a vocabulary written where they
were not said are struck word by word before (spoken_terms.py).
"""

from __future__ import annotations

from ..runtime.typed_json import JsonObject

# A segment is dropped when the model itself is nearly sure there was no speech, or barely believes its text.
DROP_NO_SPEECH = 0.8
DROP_LOGPROB = -1.5
# A kept segment is flagged weak (a passage a user should check) past these.
WEAK_NO_SPEECH = 0.5
WEAK_LOGPROB = -1.0
WEAK_COMPRESSION = 2.4


Number = float | int | None  # a recognizer's score, maybe missing


def quality_fields(no_speech_prob: Number, avg_logprob: Number, compression_ratio: Number) -> JsonObject:
    """The per-segment numbers written into the transcript, rounded, with the weak flag."""
    fields = {
        "noSpeechProb": _round(no_speech_prob),
        "avgLogprob": _round(avg_logprob, lo=None),
        "compressionRatio": _round(compression_ratio, lo=0.0, hi=None),
    }
    fields["weak"] = is_weak(fields)
    return fields


def is_weak(q: JsonObject) -> bool:
    nsp, lp, cr = q.get("noSpeechProb"), q.get("avgLogprob"), q.get("compressionRatio")
    return bool(
        (nsp is not None and nsp > WEAK_NO_SPEECH)
        or (lp is not None and lp < WEAK_LOGPROB)
        or (cr is not None and cr > WEAK_COMPRESSION)
    )


def drop_reason(segment: JsonObject) -> str | None:
    """Why a segment is taken for invented speech, or None to keep it."""
    if not segment["text"].strip():
        return "empty text"
    nsp, lp = segment.get("noSpeechProb"), segment.get("avgLogprob")
    if nsp is not None and nsp >= DROP_NO_SPEECH:
        return f"no-speech probability {nsp}"
    if lp is not None and lp <= DROP_LOGPROB:
        return f"mean log-probability {lp}"
    return None


def split_invented(segments: list[JsonObject]) -> tuple[list[JsonObject], list[JsonObject]]:
    """(kept segments, suppressed ones with their reason)."""
    kept: list[JsonObject] = []
    suppressed: list[JsonObject] = []
    for seg in segments:
        reason = drop_reason(seg)
        if reason is None:
            kept.append(seg)
        else:
            suppressed.append({"start": seg["start"], "end": seg["end"], "text": seg["text"], "reason": reason})
    return kept, suppressed


def _round(value: Number, lo: float | None = 0.0, hi: float | None = 1.0) -> float | None:
    if value is None:
        return None
    v = float(value)
    if v != v:  # NaN
        return None
    if lo is not None:
        v = max(lo, v)
    if hi is not None:
        v = min(hi, v)
    return round(v, 4)
