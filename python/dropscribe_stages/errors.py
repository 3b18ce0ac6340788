"""Errors a stage raises; each knows its contract code, exit status and whether a retry may help."""

from __future__ import annotations

EXIT_BAD_INPUT = 65
EXIT_BUG = 70
EXIT_TEMPORARY = 75
EXIT_CONFIG = 78


class StageFailure(Exception):
    code = "bug"
    exit_status = EXIT_BUG
    retryable = True


class BadInput(StageFailure):
    """The input itself cannot be processed; retrying will not help."""

    code = "bad_input"
    exit_status = EXIT_BAD_INPUT
    retryable = False


class NoAudio(BadInput):
    """The file has no audio track."""

    code = "no_audio"


class Temporary(StageFailure):
    """Something that may work on a later attempt (disk full, file busy)."""

    code = "temporary"
    exit_status = EXIT_TEMPORARY
    retryable = True


class ConfigProblem(StageFailure):
    """A model or backend is missing or misconfigured; the message says how to fix it."""

    code = "config"
    exit_status = EXIT_CONFIG
    retryable = False
