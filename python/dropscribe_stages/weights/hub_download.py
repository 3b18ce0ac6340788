"""First use of a model that is not bundled: one download from the Hugging Face hub (HF_ENDPOINT), resumable, checked.

Files go to <root>/.partial/<org>--<name>/ and stay there across a kill -9 or a lost connection; the next try asks
for the rest with an HTTP Range request. Each file is checked against the size and hash the hub states (sha256 for
LFS files, the git blob sha1 for the others), and the model folder <root>/<org>--<name> appears whole, by one rename.
A lock file (flock) makes every job that needs the model wait for the one download instead of starting its own.
"""

from __future__ import annotations

import fcntl
import fnmatch
import hashlib
import http.client
import json
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..runtime.errors import ConfigProblem, Temporary
from ..runtime.protocol import Channel

DEFAULT_ENDPOINT = "https://huggingface.co"


@dataclass(frozen=True)
class Layout:
    """The files a model of one kind is downloaded with, and the one that must be there for it to be whole."""

    files: tuple[str, ...]
    needs: tuple[str, ...]  # one of these
    kind: str


# The files of a CTranslate2 Whisper model that faster-whisper loads (its own download takes the same).
CT2 = Layout(
    ("config.json", "preprocessor_config.json", "model.bin", "tokenizer.json", "vocabulary.*"),
    ("model.bin",),
    "a CTranslate2 Whisper model",
)
# An mlx-community Whisper model: mlx-whisper's config and weights (it brings its own tokenizer).
MLX = Layout(
    files=("config.json", "weights.safetensors", "weights.npz"),
    needs=("weights.safetensors", "weights.npz"),
    kind="an MLX Whisper model",
)
CHUNK_BYTES = 1 << 20
READ_TIMEOUT_SEC = 30.0
RETRIES = 5  # lost connections in a row before the attempt gives up (the next attempt resumes)
BACKOFF_SEC = 1.0
PROGRESS_EVERY_SEC = 0.5


@dataclass(frozen=True)
class HubFile:
    name: str
    size: int
    sha256: str | None  # LFS files
    blob_sha1: str | None  # other files: the git blob id


def endpoint() -> str:
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


def model_folder(root: Path, repo: str) -> Path:
    """Where a downloaded model lives once complete."""
    return root / repo.replace("/", "--")


def is_complete(folder: Path, layout: Layout = CT2) -> bool:
    return any((folder / name).is_file() for name in layout.needs)


def no_network(repo: str, reason: str) -> ConfigProblem:
    return ConfigProblem(
        f"cannot download model {repo!r}: the model hub at {endpoint()} cannot be reached ({reason}). "
        "Without a network, use a bundled model (job.model 'base' or 'tiny.en') or a folder with a CTranslate2 "
        "model; or connect once and run `dropscribe retry` on the job"
    )


def _request(url: str, headers: dict[str, str] | None = None) -> urllib.request.Request:
    headers = dict(headers or {})
    token = os.environ.get("HF_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return urllib.request.Request(url, headers=headers)


def list_files(repo: str, layout: Layout = CT2) -> tuple[str, list[HubFile]]:
    """The commit and the model files of `repo`, with the sizes and hashes the hub states."""
    url = f"{endpoint()}/api/models/{urllib.parse.quote(repo)}/revision/main?blobs=true"
    try:
        with urllib.request.urlopen(_request(url), timeout=READ_TIMEOUT_SEC) as resp:
            info = json.load(resp)
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404):
            raise ConfigProblem(
                f"the model hub at {endpoint()} has no model {repo!r} (HTTP {exc.code}); check job.model"
            ) from exc
        raise Temporary(f"the model hub answered HTTP {exc.code} for {repo!r}; trying again later") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise no_network(repo, str(getattr(exc, "reason", exc))) from exc
    files: list[HubFile] = []
    siblings: list[dict[str, Any]] = info.get("siblings", [])
    for s in siblings:
        name: str = s["rfilename"]
        if not any(fnmatch.fnmatch(name, p) for p in layout.files):
            continue
        lfs: dict[str, Any] = s.get("lfs") or {}
        size = int(lfs.get("size", s.get("size", -1)))
        files.append(HubFile(name, size, lfs.get("sha256"), None if lfs else s.get("blobId")))
    if not any(f.name in layout.needs for f in files) or any(f.size < 0 for f in files):
        raise ConfigProblem(
            f"{repo!r} on {endpoint()} is not {layout.kind} (no {' or '.join(layout.needs)}, or no sizes)"
        )
    return info.get("sha") or "main", files


class _Meter:
    """Bytes on disk of the whole model, and the speed of this attempt, sent as download events."""

    def __init__(self, repo: str, total: int, have: int, channel: Channel) -> None:
        self.repo, self.total, self.bytes, self.channel = repo, total, have, channel
        self.started, self.fetched, self.sent_at = time.monotonic(), 0, 0.0

    def add(self, n: int, force: bool = False) -> None:
        self.bytes += n
        self.fetched += n
        now = time.monotonic()
        if force or now - self.sent_at >= PROGRESS_EVERY_SEC:
            self.sent_at = now
            speed = self.fetched / max(1e-6, now - self.started)
            self.channel.send(
                "download", model=self.repo, bytes=self.bytes, totalBytes=self.total, bytesPerSec=round(speed, 1)
            )


def _fetch(url: str, f: HubFile, dest: Path, meter: _Meter) -> None:
    """Download the rest of one file into `dest`; raises OSError-like errors on a lost connection."""
    have = dest.stat().st_size if dest.exists() else 0
    if have >= f.size:
        return
    with urllib.request.urlopen(
        _request(url, {"Range": f"bytes={have}-"} if have else {}), timeout=READ_TIMEOUT_SEC
    ) as r:
        if have and r.status != 206:  # the server does not resume: start the file again
            meter.add(-have)
            have = 0
        with open(dest, "r+b" if have else "wb") as out:
            out.seek(have)
            out.truncate()
            while chunk := r.read(CHUNK_BYTES):
                out.write(chunk)
                meter.add(len(chunk))
            out.flush()
            os.fsync(out.fileno())
    if dest.stat().st_size < f.size:
        raise http.client.IncompleteRead(b"", f.size - dest.stat().st_size)


def _check(f: HubFile, dest: Path) -> None:
    """Size and hash as the hub states them; a damaged file is removed so the next try downloads it again."""
    size = dest.stat().st_size
    digest = hashlib.sha256() if f.sha256 else hashlib.sha1(b"blob %d\0" % size) if f.blob_sha1 else None
    if digest is not None:
        with open(dest, "rb") as src:
            while chunk := src.read(CHUNK_BYTES):
                digest.update(chunk)
    expected = f.sha256 or f.blob_sha1
    if size != f.size or (digest is not None and digest.hexdigest() != expected):
        dest.unlink()
        got = f"{size} bytes" if size != f.size or digest is None else f"hash {digest.hexdigest()}"
        raise Temporary(
            f"the downloaded {f.name} has {got}, the hub states {f.size} bytes, {expected}; downloading again"
        )


def _download_file(repo: str, commit: str, f: HubFile, partial: Path, meter: _Meter) -> None:
    url = f"{endpoint()}/{urllib.parse.quote(repo)}/resolve/{commit}/{urllib.parse.quote(f.name)}"
    dest = partial / f.name
    dest.parent.mkdir(parents=True, exist_ok=True)
    for lost in range(RETRIES + 1):
        try:
            _fetch(url, f, dest, meter)
            break
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            if isinstance(exc, urllib.error.HTTPError) and exc.code in (401, 403, 404):
                raise ConfigProblem(f"the model hub has no file {f.name} in {repo!r} (HTTP {exc.code})") from exc
            if lost == RETRIES:
                raise Temporary(
                    f"lost the connection to {endpoint()} {RETRIES + 1} times downloading {repo!r} ({exc}); "
                    f"{meter.bytes} of {meter.total} bytes are kept and the next attempt continues from there"
                ) from exc
            time.sleep(BACKOFF_SEC * 2**lost)
    _check(f, dest)


def ensure_model(repo: str, root: Path, channel: Channel, layout: Layout = CT2) -> Path:
    """The folder of `repo` under `root`, downloaded first if it is not there yet (once, whoever asks)."""
    target = model_folder(root, repo)
    if is_complete(target, layout):
        return target
    root.mkdir(parents=True, exist_ok=True)
    with open(root / f".{target.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            channel.progress(0.0, f"waiting for another job's download of model {repo}")
            fcntl.flock(lock, fcntl.LOCK_EX)
        if is_complete(target, layout):
            return target
        commit, files = list_files(repo, layout)
        partial = root / ".partial" / target.name
        have = sum(min(f.size, (partial / f.name).stat().st_size) for f in files if (partial / f.name).exists())
        meter = _Meter(repo, sum(f.size for f in files), have, channel)
        channel.progress(
            0.0, f"downloading model {repo} from {endpoint()}" + (f", resuming at {have} bytes" if have else "")
        )
        for f in files:
            _download_file(repo, commit, f, partial, meter)
        meter.add(0, force=True)
        if target.exists():
            shutil.rmtree(target)
        os.rename(partial, target)
        return target
