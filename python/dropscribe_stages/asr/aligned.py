"""WhisperX's alignment as the contract's segments: its model named or a local folder, words without times mended."""

from __future__ import annotations

from pathlib import Path

from ..runtime.errors import ConfigProblem
from ..runtime.typed_json import JsonObject
from ..speech.edges import words_of
from .segments import make_segment


def local_model_folder(model: str | None) -> str | None:
    """The alignment model as whisperx takes it: a Hugging Face name as is, a local folder checked and made absolute."""
    if not model or not model.startswith(("/", "~", "./", "../")):
        return model or None
    folder = Path(model).expanduser().resolve()
    if not folder.is_dir():
        raise ConfigProblem(
            f"the alignment model folder {folder} does not exist (alignModel is a Hugging Face name or a "
            "folder saved with save_pretrained)"
        )
    return str(folder)


def aligned_segment(seg: JsonObject, offset: float = 0.0) -> JsonObject:
    """WhisperX leaves some words (numbers, symbols) without times: give them their neighbour's. Times move by
    `offset` (a window's start) back into the recording."""
    words: list[JsonObject] = []
    last_end = float(seg["start"])
    for w in words_of(seg):
        start: float = w.get("start", last_end)
        end: float = w.get("end", start)
        words.append(
            {
                "word": " " + str(w["word"]).strip(),
                "start": start + offset,
                "end": end + offset,
                "probability": w.get("score"),
            }
        )
        last_end = end
    return make_segment(seg["start"] + offset, seg["end"] + offset, seg.get("text", ""), words)
