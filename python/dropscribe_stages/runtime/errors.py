"""Errors a stage raises; each knows its contract code, and takes its exit status and retryability from the contract."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from .contract import ERROR_CODES, EXIT_CODES

EXIT_BAD_INPUT = EXIT_CODES["badInput"]
EXIT_BUG = EXIT_CODES["bug"]
EXIT_TEMPORARY = EXIT_CODES["temporary"]
EXIT_CONFIG = EXIT_CODES["config"]


class StageFailure(Exception):
    """A failure the stage reports with `code`; its exit status and retryability come from the contract."""

    code = "bug"
    exit_status: int = ERROR_CODES["bug"]["exit"]
    retryable: bool = ERROR_CODES["bug"]["retryable"]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.exit_status = ERROR_CODES[cls.code]["exit"]
        cls.retryable = ERROR_CODES[cls.code]["retryable"]


class BadInput(StageFailure):
    """The input itself cannot be processed; retrying will not help."""

    code = "bad_input"


class NoAudio(BadInput):
    """The file has no audio track."""

    code = "no_audio"


class Temporary(StageFailure):
    """Something that may work on a later attempt (disk full, file busy)."""

    code = "temporary"


class DiskFull(StageFailure):
    """The disk the stage writes to is full: the job waits for space (not an attempt of the stage)."""

    code = "disk_full"


def is_disk_full(exc: OSError) -> bool:
    """ENOSPC (no space left) or EDQUOT (quota exceeded)."""
    import errno

    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


class InvalidRequest(StageFailure):
    """The request does not match the contract (a missing, unknown or wrong-typed field): a bug on the sending side.

    Not retryable, unlike other bugs: a retry sends the same request."""

    def __init__(self, message: str) -> None:
        super().__init__(f"invalid stage request: {message}")
        self.retryable = False


class ConfigProblem(StageFailure):
    """A model or backend is missing or misconfigured; the message says how to fix it."""

    code = "config"


def require_module(name: str, hint: str) -> ModuleType:
    """Import `name`, or fail as a config problem that says how to install it (`hint`)."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigProblem(f"the {name} package is not installed ({exc}); {hint}") from exc
