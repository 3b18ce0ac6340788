"""Segments a transcribe run commits as they come (one fsynced JSON line each), so a restarted run continues after them.

The file's first line says what was transcribed (model, task, the speech range) and the language found; each further
line is one finished segment. A line cut short by a kill or a power cut is dropped (and cut off the file) on reading.
A file written for another request is ignored and started again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..runtime.stage_requests import TranscribeRequest
from ..runtime.typed_json import JsonObject


def request_key(request: TranscribeRequest, spans: list[JsonObject]) -> JsonObject:
    """What must match for committed segments to be reused: the model, the task and the speech they came from."""
    first = spans[0]["start"] if spans else 0.0
    last = spans[-1]["end"] if spans else 0.0
    return {
        "model": request.model,
        "task": request.task,
        "language": request.language,
        "span": [round(first, 3), round(last, 3)],
    }


def spans_after(spans: list[JsonObject], t: float) -> list[JsonObject]:
    """The parts of the speech `spans` after time `t` (seconds in the recording)."""
    return [{**s, "start": max(s["start"], t)} for s in spans if s["end"] > t]


def speech_before(spans: list[JsonObject], t: float) -> float:
    """Seconds of speech in `spans` before time `t`."""
    return sum(max(0.0, min(s["end"], t) - s["start"]) for s in spans)


class CommittedSegments:
    """The commit log of one transcribe unit (a window, or the whole recording)."""

    def __init__(self, path: str | Path, key: JsonObject) -> None:
        self.path = Path(path)
        self.key = key
        self.header: JsonObject | None = None
        self.segments: list[JsonObject] = []
        self._file = None

    def load(self) -> list[JsonObject]:
        """The segments committed by an earlier attempt of the same request (none when there was none)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        good = 0
        lines: list[JsonObject] = []
        for line in raw.split(b"\n")[:-1]:  # the part after the last newline is a torn write
            try:
                lines.append(json.loads(line))
            except ValueError:
                break
            good += len(line) + 1
        if not lines or lines[0].get("key") != self.key:
            return []
        if good < len(raw):
            os.truncate(self.path, good)
        self.header, self.segments = lines[0], lines[1:]
        return list(self.segments)

    @property
    def language(self) -> tuple[str, float] | None:
        """(language, probability) the earlier attempt found, if it got that far."""
        h = self.header or {}
        return (h["language"], float(h.get("languageProbability", 0.0))) if h.get("language") else None

    @property
    def end(self) -> float | None:
        """Where the last committed segment ends (seconds in the recording)."""
        return self.segments[-1]["end"] if self.segments else None

    def begin(self, language: str | None, probability: float) -> None:
        """Open the log for appending; write the header when there is nothing to continue."""
        if self.header is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.header = {"key": self.key, "language": language, "languageProbability": round(probability, 4)}
            self._file = open(self.path, "wb")
            self._write(self.header)
        else:
            self._file = open(self.path, "ab")

    def commit(self, segment: JsonObject) -> None:
        """Append one finished segment, on disk before this returns."""
        self.segments.append(segment)
        self._write(segment)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def _write(self, value: JsonObject) -> None:
        assert self._file is not None, "begin() opens the file"
        self._file.write(json.dumps(value, ensure_ascii=False).encode() + b"\n")
        self._file.flush()
        os.fsync(self._file.fileno())
