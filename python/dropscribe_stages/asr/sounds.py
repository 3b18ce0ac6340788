"""How alike two English spellings sound: a rough pronunciation key from the letters, and a distance between keys.

No pronunciation dictionary and no grapheme-to-phoneme model (espeak-ng is a test tool, not on a user's Mac): a few
English spelling rules make the key ("Pixtral" -> "pikstral", "Quwen" and "Qwen" -> "kwen", a silent final e gone),
and the distance counts sounds a listener confuses as half a difference or less: the same sound voiced or not (b/p,
g/k, s/z), the hissing sounds (s, sh, ch, z), l/r, m/n, one stop for another, one vowel for another. So "Big Stroll"
is near "Pixtral", "Sursh" near "Saoirse" and "Beirdre" near "Deirdre", while "Pixel" is not near "Pixtral" (two
sounds missing). Spellings from other languages are read as English: a rough key, good enough to compare a word the
recognizer was unsure of with a short list of terms, not to say how a word is pronounced."""

from __future__ import annotations

import re
import unicodedata

VOWELS = "aeiouy"
# Letter groups read as one sound, tried in this order. Upper-case letters stand for sounds with no letter of their
# own: X "sh", C "ch", T "th".
SPELLINGS = [
    (r"^kn", "n"), (r"^wr", "r"), (r"^ps", "s"), (r"mb$", "m"),
    (r"tch", "C"), (r"sch", "X"), (r"sh", "X"), (r"ch", "C"), (r"ph", "f"), (r"th", "T"), (r"wh", "w"),
    (r"dg", "j"), (r"ck", "k"), (r"qu", "kw"), (r"q", "k"), (r"x", "ks"), (r"c(?=[eiy])", "s"), (r"c", "k"),
    (r"(?<=[aeiou])gh", ""), (r"h(?![aeiouy])", ""), (r"(?<=[aeiou])w(?![aeiouy])", ""), (r"(?<=[aeiou])y", ""),
]  # fmt: skip
# Sounds a listener confuses, and what swapping one for the other costs (a different sound costs 1).
ALIKE = [
    ({"b", "p"}, 0.3), ({"d", "t"}, 0.3), ({"g", "k"}, 0.3), ({"v", "f"}, 0.3), ({"z", "s"}, 0.3), ({"j", "C"}, 0.3),
    ({"T", "f"}, 0.4), ({"T", "t"}, 0.4), ({"T", "d"}, 0.4), ({"s", "X", "C", "z", "j"}, 0.4),
    ({"l", "r"}, 0.5), ({"m", "n"}, 0.4), ({"b", "d", "g", "p", "t", "k"}, 0.6), ({"v", "w"}, 0.5),
    (set(VOWELS), 0.25),
]  # fmt: skip
# A vowel or a weak consonant (h, w, y) missing or extra costs this; any other sound 1.
WEAK = 0.5


def sound_key(text: str) -> str:
    """A rough pronunciation of `text` read as English: lower-case letters and X, C, T (sh, ch, th), one letter a
    sound, a run of vowels as its first vowel, no doubled letters."""
    letters = unicodedata.normalize("NFKD", text.lower())
    letters = "".join(c for c in letters if "a" <= c <= "z")
    if len(letters) > 3 and letters.endswith("e") and letters[-2] not in VOWELS and _has_vowel(letters[:-2]):
        letters = letters[:-1]  # a silent final e
    for pattern, sound in SPELLINGS:
        letters = re.sub(pattern, sound, letters)
    key = re.sub(r"([aeiouy])[aeiouy]+", r"\1", letters)
    return re.sub(r"(.)\1+", r"\1", key)


def _has_vowel(letters: str) -> bool:
    return any(c in VOWELS for c in letters)


def swap_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    return min((cost for group, cost in ALIKE if a in group and b in group), default=1.0)


def gap_cost(a: str) -> float:
    return WEAK if a in VOWELS or a in "hwy" else 1.0


def distance(a: str, b: str) -> float:
    """The cheapest way to turn key `a` into key `b`, sound by sound."""
    previous = [0.0]
    for c in b:
        previous.append(previous[-1] + gap_cost(c))
    for x in a:
        current = [previous[0] + gap_cost(x)]
        for j, y in enumerate(b):
            current.append(min(previous[j + 1] + gap_cost(x), current[j] + gap_cost(y), previous[j] + swap_cost(x, y)))
        previous = current
    return previous[-1]


def likeness(a: str, b: str) -> float:
    """1 for keys that sound the same, down to 0 (or below) for keys with nothing alike, per sound of the longer."""
    longest = max(len(a), len(b))
    return 1.0 - distance(a, b) / longest if longest else 0.0
