"""Conversations in more than one language, built from corpus clips and espeak-ng sentences, with the reference known
turn by turn (start, end, speaker, language, text): a 16 kHz WAV of turns with 0.4-0.9 s pauses between them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from conftest import CORPUS, manifest

from dropscribe_stages.media.audio import SAMPLE_RATE, write_wav_atomic


@dataclass(frozen=True)
class RefTurn:
    start: float
    end: float
    speaker: str
    language: str
    text: str


def decode16(path: Path) -> np.ndarray:
    """Any audio file as 16 kHz mono float32 (PyAV, as faster-whisper reads it)."""
    from faster_whisper import decode_audio

    return decode_audio(str(path), sampling_rate=SAMPLE_RATE)


def espeak(voice: str, text: str) -> np.ndarray:
    """`text` spoken by espeak-ng's `voice`, 16 kHz float32, its silent ends trimmed."""
    exe = shutil.which("espeak-ng")
    assert exe, "espeak-ng is not installed"
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "s.wav"
        subprocess.run([exe, "-v", voice, "-s", "150", "-w", str(wav), text], check=True)
        x = decode16(wav)
    loud = np.flatnonzero(np.abs(x) > 0.01)
    return x[max(0, loud[0] - 800) : loud[-1] + 800] if len(loud) else x


def corpus_clip(name: str) -> tuple[np.ndarray, str, str]:
    """A corpus clip, its language and its reference text."""
    row = manifest()[name]
    return decode16(CORPUS / name), row["language"], row["reference_transcript"]


def build(turns: list[tuple[str, str, np.ndarray, str]], out: Path, seed: int = 7) -> list[RefTurn]:
    """Write `turns` ((speaker, language, audio, text) in order) to `out` with pauses; returns the reference."""
    rng = np.random.default_rng(seed)
    pieces, reference, t = [np.zeros(SAMPLE_RATE // 2, np.float32)], [], 0.5
    for speaker, language, audio, text in turns:
        reference.append(RefTurn(t, t + len(audio) / SAMPLE_RATE, speaker, language, text))
        pieces.append(audio.astype(np.float32))
        t += len(audio) / SAMPLE_RATE
        gap = int(rng.uniform(0.4, 0.9) * SAMPLE_RATE)
        pieces.append(np.zeros(gap, np.float32))
        t += gap / SAMPLE_RATE
    write_wav_atomic(out, np.concatenate(pieces))
    return reference


SPANISH = [
    "Buenos días, me llamo Carmen y vivo en Madrid desde hace muchos años.",
    "Sí, claro.",
    "Por la tarde suelo pasear por el parque con mi perro y mis amigos.",
    "Mañana vamos a visitar el museo de historia natural en el centro.",
]


def two_languages(out: Path) -> list[RefTurn]:
    """A Spanish voice (espeak-ng) and the corpus's German reader taking turns: 4 Spanish turns (one of two words)
    and 3 German ones (the corpus clip each time)."""
    de, lang, text = corpus_clip("de_picovoice_test_de.wav")
    es = [espeak("es", s) for s in SPANISH]
    return build(
        [
            ("es", "es", es[0], SPANISH[0]),
            ("de", lang, de, text),
            ("es", "es", es[1], SPANISH[1]),
            ("de", lang, de, text),
            ("es", "es", es[2], SPANISH[2]),
            ("de", lang, de, text),
            ("es", "es", es[3], SPANISH[3]),
        ],
        out,
    )


def three_languages(out: Path) -> list[RefTurn]:
    """The Spanish voice, the German reader and the Italian reader of the corpus, three turns each."""
    de, de_lang, de_text = corpus_clip("de_picovoice_test_de.wav")
    it, it_lang, it_text = corpus_clip("it_picovoice_test_it.wav")
    es = [espeak("es", s) for s in SPANISH]
    return build(
        [
            ("es", "es", es[0], SPANISH[0]),
            ("it", it_lang, it, it_text),
            ("de", de_lang, de, de_text),
            ("es", "es", es[1], SPANISH[1]),
            ("it", it_lang, it, it_text),
            ("es", "es", es[2], SPANISH[2]),
            ("de", de_lang, de, de_text),
            ("it", it_lang, it, it_text),
            ("de", de_lang, de, de_text),
        ],
        out,
        seed=11,
    )
