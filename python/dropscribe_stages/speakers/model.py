"""The speaker encoder's weights: resemblyzer's pretrained.pt (installed without torch), converted once to an npz.

`resemblyzer` 0.1.4 is installed with `pip --no-deps` (its torch, librosa and webrtcvad are not needed): only its
`pretrained.pt` is used. That file is torch's legacy (pre-1.6) pickle; `read_legacy_torch()` reads it with numpy by
mapping torch's tensor-rebuild functions, and `build_encoder_npz()` writes the model's tensors (not the optimizer
state) to models_dir()/speaker-encoder.npz, checking the sha256 of the source first.
"""

from __future__ import annotations

import collections
import hashlib
import importlib.util
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..runtime.errors import ConfigProblem
from ..runtime.typed_json import JsonObject
from ..weights.models import models_dir

PRETRAINED_SHA256 = "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e"
PRETRAINED_SIZE = 17_090_379
NPZ_NAME = "speaker-encoder.npz"
REINSTALL = "run `npm install` again (it installs resemblyzer==0.1.4 without its dependencies)"

_STORAGE_DTYPES = {
    "FloatStorage": np.float32,
    "DoubleStorage": np.float64,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}


class _Storage:
    def __init__(self, dtype: type) -> None:
        self.dtype = dtype
        self.data: np.ndarray | None = None


class _Tensor:
    """A tensor whose storage is read after the pickle (the legacy format stores the bytes behind it)."""

    def __init__(self, storage: _Storage, offset: int, size: tuple[int, ...], stride: tuple[int, ...]) -> None:
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def array(self) -> np.ndarray:
        data = self.storage.data
        assert data is not None, "read_legacy_torch fills every storage after the pickle"
        item = data.itemsize
        view = np.lib.stride_tricks.as_strided(
            data[self.offset :], shape=self.size, strides=tuple(s * item for s in self.stride)
        )
        return np.array(view)


def _rebuild_tensor(
    storage: _Storage, offset: int, size: tuple[int, ...], stride: tuple[int, ...], *_rest: Any
) -> _Tensor:
    return _Tensor(storage, offset, size, stride)


def _rebuild_parameter(tensor: _Tensor, *_rest: Any) -> _Tensor:
    return tensor


class _Unpickler(pickle.Unpickler):
    storages: dict[str, _Storage]

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch._utils" and name in ("_rebuild_tensor_v2", "_rebuild_tensor"):
            return _rebuild_tensor
        if module == "torch._utils" and name == "_rebuild_parameter":
            return _rebuild_parameter
        if module == "torch" and name in _STORAGE_DTYPES:
            return name
        if module == "collections" and name == "OrderedDict":
            return collections.OrderedDict
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the speaker model")

    def persistent_load(self, pid: Any) -> _Storage:
        kind, storage_type, key, _location, _numel, *_view = cast(tuple[str, str, str, str, int], pid)
        if kind != "storage":
            raise pickle.UnpicklingError(f"unexpected persistent id {kind}")
        if key not in self.storages:
            self.storages[key] = _Storage(_STORAGE_DTYPES[storage_type])
        return self.storages[key]


def read_legacy_torch(path: Path) -> JsonObject:
    """Load a legacy torch pickle (magic, protocol, sys info, object, storage keys, storages) into numpy arrays."""
    with open(path, "rb") as f:
        for _header in range(3):
            pickle.load(f)
        unpickler = _Unpickler(f)
        unpickler.storages = {}
        obj = unpickler.load()
        keys = pickle.load(f)
        for key in keys:
            storage = unpickler.storages[key]
            count = int(np.frombuffer(f.read(8), dtype="<i8")[0])
            storage.data = np.frombuffer(f.read(count * np.dtype(storage.dtype).itemsize), dtype=storage.dtype)
    return obj


def pretrained_path() -> Path:
    """resemblyzer/pretrained.pt of the installed wheel (found without importing resemblyzer, which needs torch)."""
    spec = importlib.util.find_spec("resemblyzer")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigProblem(f"the speaker model (package resemblyzer) is not installed; {REINSTALL}")
    path = Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"
    if not path.is_file():
        raise ConfigProblem(f"the resemblyzer package has no pretrained.pt; {REINSTALL}")
    return path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def npz_path() -> Path:
    return models_dir() / NPZ_NAME


def build_encoder_npz() -> Path:
    """Convert pretrained.pt into models_dir()/speaker-encoder.npz once (sha256 checked); idempotent and atomic."""
    target = npz_path()
    if target.is_file():
        return target
    source = pretrained_path()
    found = sha256_of(source)
    if found != PRETRAINED_SHA256:
        raise ConfigProblem(f"the speaker model {source} has sha256 {found}, expected {PRETRAINED_SHA256}; {REINSTALL}")
    state = read_legacy_torch(source)["model_state"]
    arrays = {name: tensor.array() for name, tensor in state.items()}
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".speaker-encoder-", suffix=".npz", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            np.savez(out, **arrays)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def load_encoder_weights() -> dict[str, np.ndarray]:
    """The encoder's tensors by their torch names; builds the npz when an install stopped before it."""
    with np.load(build_encoder_npz()) as data:
        return {name: data[name] for name in data.files}


@dataclass(frozen=True)
class SpeakerModel:
    """For `doctor` (the contract's doctorReport.speakerModel)."""

    path: str | None
    sha256_ok: bool
    converted: str
    converted_present: bool
    error: str | None


def model_report() -> SpeakerModel:
    """For `doctor`: where the speaker model is, whether its sha256 is the expected one, and the converted npz."""
    converted = npz_path()
    try:
        source = pretrained_path()
    except ConfigProblem as exc:
        return SpeakerModel(None, False, str(converted), converted.is_file(), str(exc))
    return SpeakerModel(str(source), sha256_of(source) == PRETRAINED_SHA256, str(converted), converted.is_file(), None)


def main() -> int:
    """`python -m dropscribe_stages.speakers.model`: build the npz at install time."""
    try:
        path = build_encoder_npz()
    except ConfigProblem as exc:
        print(f"dropscribe: {exc}", file=sys.stderr)
        return 78
    print(f"dropscribe: speaker model at {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
