"""The stage side of the NDJSON contract: request in on stdin, events out on fd 3.

stdout stays free for stray prints of libraries (the parent logs it); stderr is free text.
"""

from __future__ import annotations

import json
import os
import queue
import resource
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

import jsonschema

from .contract import SCHEMA
from .errors import EXIT_BUG, EXIT_TEMPORARY, DiskFull, InvalidRequest, StageFailure, is_disk_full
from .stage_requests import Request, parse_request
from .typed_json import JsonObject

EVENT_FD = 3


def peak_rss_bytes() -> int:
    """Peak resident memory of this process (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def current_rss_bytes() -> int:
    """Resident memory now; falls back to the peak where /proc is missing (macOS)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return peak_rss_bytes()


class Channel:
    """Writes events as JSON lines; safe to use from the heartbeat thread."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, event: str, **fields: Any) -> None:
        line = json.dumps({"event": event, **fields}, ensure_ascii=False)
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def progress(self, fraction: float, message: str | None = None) -> None:
        fields: dict[str, Any] = {"fraction": max(0.0, min(1.0, float(fraction)))}
        if message:
            fields["message"] = message
        self.send("progress", **fields)

    def warning(self, message: str) -> None:
        self.send("warning", message=message)


def open_channel() -> Channel:
    """fd 3 when the parent opened it, else stdout (for running a stage by hand)."""
    try:
        return Channel(os.fdopen(EVENT_FD, "w", buffering=1, encoding="utf-8"))
    except OSError:
        return Channel(sys.stdout)


class Heartbeat:
    """A heartbeat event every `heartbeat_seconds` of the request being handled, from a thread of its own.

    It starts with the first valid request (the interval comes in the request); a warm worker passes `active` and
    beats only while it has a request."""

    def __init__(self, channel: Channel, active: threading.Event | None = None) -> None:
        self._channel = channel
        self._active = active
        self._every: float | None = None

    def follow(self, request: Request) -> None:
        """Beat at the interval `request` asks for (starting the thread with the first request)."""
        first = self._every is None
        self._every = request.heartbeat_seconds
        if first:
            threading.Thread(target=self._beat, name="heartbeat", daemon=True).start()

    def _beat(self) -> None:
        while True:
            time.sleep(self._every or 1.0)
            if self._active is None or self._active.is_set():
                self._channel.send("heartbeat", rssBytes=current_rss_bytes())


def exit_when_parent_goes(stdin: TextIO) -> None:
    """The parent keeps stdin open while it wants us; EOF means it is gone."""

    def watch() -> None:
        while stdin.readline():
            pass
        os._exit(EXIT_TEMPORARY)

    threading.Thread(target=watch, name="stdin-watch", daemon=True).start()


def validate(kind: str, value: Any, stage: str | None = None) -> None:
    schema = SCHEMA["artifacts"][stage] if kind == "artifacts" else SCHEMA[kind]
    jsonschema.validate(value, schema)


def write_json_atomic(path: Path, value: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


# A stage's run(): its typed request and the channel in, its artifacts (the result event's fields) out.
Handler = Callable[[Any, Channel], JsonObject]


def handle_one(
    stage: str,
    request_line: str,
    handler: Handler,
    channel: Channel,
    heartbeat: Heartbeat | None = None,
) -> int:
    """Read one typed request, run the handler, send exactly one result or error event; return the exit status."""
    try:
        request = parse_request(request_line, stage)
    except InvalidRequest as exc:
        channel.send("error", code=exc.code, message=str(exc), retryable=exc.retryable)
        return exc.exit_status
    if heartbeat is not None:
        heartbeat.follow(request)
    channel.send("started", stage=stage, pid=os.getpid())
    try:
        artifacts = handler(request, channel)
        validate("artifacts", artifacts, stage)
    except StageFailure as exc:
        channel.send("error", code=exc.code, message=str(exc), retryable=exc.retryable)
        return exc.exit_status
    except OSError as exc:
        code = DiskFull.code if is_disk_full(exc) else "temporary"
        channel.send("error", code=code, message=f"{type(exc).__name__}: {exc}", retryable=True)
        return EXIT_TEMPORARY
    except Exception as exc:  # noqa: BLE001 - a bug in a stage: report it with its type, exit 70
        import traceback

        traceback.print_exc(file=sys.stderr)
        channel.send("error", code="bug", message=f"{type(exc).__name__}: {exc}", retryable=True)
        return EXIT_BUG
    channel.send("result", artifacts=artifacts, peakRssBytes=peak_rss_bytes())
    return 0


def serve(stage: str, handler: Handler) -> int:
    """One request per process: the parent keeps stdin open while it wants us (EOF = parent gone)."""
    channel = open_channel()
    line = sys.stdin.readline()
    exit_when_parent_goes(sys.stdin)
    return handle_one(stage, line, handler, channel, Heartbeat(channel))


def serve_warm(stage: str, handler: Handler) -> int:
    """A warm worker: one request per stdin line, handled in turn, until stdin closes (recycle or parent gone).

    The handler keeps its loaded model between requests. Heartbeats run while a request is handled.
    """
    channel = open_channel()
    lines: queue.Queue[str | None] = queue.Queue()
    busy = threading.Event()

    def read_requests() -> None:
        for request_line in sys.stdin:
            lines.put(request_line)
        lines.put(None)
        if busy.is_set():  # stdin closed in the middle of a request: the parent is gone
            os._exit(EXIT_TEMPORARY)

    threading.Thread(target=read_requests, name="stdin-reader", daemon=True).start()
    heartbeat = Heartbeat(channel, active=busy)
    line = lines.get()
    while line is not None:
        busy.set()
        handle_one(stage, line, handler, channel, heartbeat)
        busy.clear()
        line = lines.get()
    return 0
