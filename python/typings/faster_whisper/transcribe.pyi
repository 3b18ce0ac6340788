from collections.abc import Iterable

class Word:
    start: float
    end: float
    word: str
    probability: float

class Segment:
    id: int
    start: float
    end: float
    text: str
    words: list[Word] | None
    avg_logprob: float
    compression_ratio: float
    no_speech_prob: float

class TranscriptionInfo:
    language: str
    language_probability: float
    duration: float

def restore_speech_timestamps(
    segments: Iterable[Segment], speech_chunks: list[dict[str, int]], sampling_rate: int
) -> Iterable[Segment]: ...
