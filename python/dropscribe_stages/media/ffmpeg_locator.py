"""Which ffmpeg the stages run: DROPSCRIBE_FFMPEG, else a system ffmpeg newer than the bundled one, else the
bundled one.

DROPSCRIBE_FFMPEG=none uses no ffmpeg at all (decode falls back to PyAV).

The bundled ffmpeg is the static binary inside the imageio-ffmpeg wheel.
`python -m dropscribe_stages.media.ffmpeg_locator` prints the chosen path (with `--json`: path, version and source),
so tests and benchmarks use the same one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

# launchd gives agents PATH=/usr/bin:/bin:/usr/sbin:/sbin; Homebrew's folders are searched too.
EXTRA_DIRS = ("/opt/homebrew/bin", "/usr/local/bin")


@dataclass(frozen=True)
class Ffmpeg:
    path: str
    version: str | None  # as `ffmpeg -version` names it ("7.1.1", "n9.0.2-17-g2a571b6068-20260930"); None: does not run
    source: str  # "DROPSCRIBE_FFMPEG", "system" or "bundled"


def parse_version(first_line: str) -> tuple[int, ...] | None:
    """(major, minor, patch) from `ffmpeg version n9.0.2-17-g...` or `ffmpeg version 6.1.1-3ubuntu5`; None for git
    builds."""
    m = re.search(r"version\s+n?(\d+)\.(\d+)(?:\.(\d+))?", first_line)
    return tuple(int(g or 0) for g in m.groups()) if m else None


def version_line(path: str) -> str | None:
    """The first line of `ffmpeg -version`, or None when `path` does not run as an ffmpeg."""
    try:
        done = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    line = (done.stdout or "").splitlines()[0] if done.stdout else ""
    return line if done.returncode == 0 and line.startswith("ffmpeg version") else None


def version_text(line: str) -> str:
    parts = line.split()
    return parts[2] if len(parts) > 2 else "unknown"


def bundled_path() -> str | None:
    """The static ffmpeg inside the imageio-ffmpeg wheel (never its fallbacks to a system ffmpeg)."""
    try:
        from importlib.resources import files

        folder = Path(str(files("imageio_ffmpeg.binaries")))
    except (ImportError, ModuleNotFoundError, TypeError):
        return None
    found = sorted(p for p in folder.glob("ffmpeg*") if p.is_file() and os.access(p, os.X_OK))
    return str(found[0]) if found else None


def system_path(env_path: str | None = None) -> str | None:
    """ffmpeg on PATH, then in the Homebrew folders a launchd agent does not have on its PATH."""
    dirs = (env_path if env_path is not None else os.environ.get("PATH", "")).split(os.pathsep) + list(EXTRA_DIRS)
    return shutil.which("ffmpeg", path=os.pathsep.join(d for d in dirs if d))


def choose(system: tuple[str, str] | None, bundled: tuple[str, str] | None) -> Ffmpeg | None:
    """Pick from (path, version line) pairs: the system one only when its version is known and newer."""
    if system and bundled:
        sv, bv = parse_version(system[1]), parse_version(bundled[1])
        if sv is not None and (bv is None or sv > bv):
            return Ffmpeg(system[0], version_text(system[1]), "system")
        return Ffmpeg(bundled[0], version_text(bundled[1]), "bundled")
    if bundled:
        return Ffmpeg(bundled[0], version_text(bundled[1]), "bundled")
    if system:
        return Ffmpeg(system[0], version_text(system[1]), "system")
    return None


def with_version(path: str | None) -> tuple[str, str] | None:
    line = version_line(path) if path else None
    return (path, line) if path and line else None


@lru_cache(maxsize=1)
def find_ffmpeg() -> Ffmpeg | None:
    """The ffmpeg to run, or None (decode then falls back to PyAV). Cached for the life of the process."""
    override = os.environ.get("DROPSCRIBE_FFMPEG")
    if override == "none":
        return None
    if override:
        line = version_line(override)
        return Ffmpeg(override, version_text(line) if line else None, "DROPSCRIBE_FFMPEG")
    return choose(with_version(system_path()), with_version(bundled_path()))


def main(argv: list[str]) -> int:
    found = find_ffmpeg()
    if "--json" in argv:
        print(json.dumps(asdict(found) if found else None))
        return 0
    if not found:
        print("no ffmpeg: neither a system one nor the one bundled with imageio-ffmpeg", file=sys.stderr)
        return 1
    print(found.path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
