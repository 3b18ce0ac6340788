"""The job's vocabulary as the recognizer takes it: faster-whisper's hotwords (given to every 30 s window) and a
prompt (the first window of each request, before the previous window's words when there are some)."""

from __future__ import annotations


def hotwords(terms: list[str] | None) -> str | None:
    """The terms as one hotwords string, or None without a vocabulary."""
    return ", ".join(terms) if terms else None


def prompt(terms: list[str] | None, previous: str | None) -> str | None:
    """A glossary sentence with the terms, then the text before this window; None when there is neither."""
    parts = [f"Glossary: {', '.join(terms)}." if terms else "", (previous or "").strip()]
    text = " ".join(p for p in parts if p)
    return text or None
