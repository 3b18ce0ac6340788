"""Whisper weights for mlx-whisper, converted here from a CTranslate2 model (the bundled `base` and `tiny.en`).

CTranslate2's model.bin (ctranslate2/specs/model_spec.py, `_serialize`, binary version 6) is: u32 version, string
spec name, u32 revision, u32 variable count, then per variable: string name, u8 rank, u32 dims, u8 type id
(float32, int8, int16, int32, float16, bfloat16), u32 byte count, the bytes; then u32 alias count and (alias, target)
string pairs. A string is a u16 length (with its NUL), the UTF-8 bytes and a NUL. Everything is little-endian.

`convert()` maps the Whisper spec's names to mlx-whisper's (the fused q/k/v of self-attention and k/v of
cross-attention are split; conv weights go from (out, in, k) to MLX's (out, k, in)), writes the model's alignment
heads from config.json (without them word timings are those of mlx-whisper's default heads), and writes
weights.npz and config.json into a folder that appears whole, by one rename. float32 for MLX's CPU backend (float16
is very slow there), float16 on Metal.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import sys
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from ..runtime.errors import ConfigProblem
from ..runtime.protocol import Channel
from .hub_download import MLX, ensure_model, is_complete, model_folder, offline
from .models import bundled_models, downloads_dir, models_dir

CT2_TYPES: tuple[type[np.generic] | None, ...] = (
    np.float32,
    np.int8,
    np.int16,
    np.int32,
    np.float16,
    None,
)  # None: bfloat16, not in the bundled models
CONVERTED_FILES = ("config.json", "weights.npz")
Arrays = dict[str, np.ndarray]  # tensors by name


def _read(f: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize(fmt)
    data = f.read(size)
    if len(data) != size:
        raise ConfigProblem(f"{f.name} ends early: not a whole CTranslate2 model.bin")
    return struct.unpack("<" + fmt, data)[0]


def _string(f: BinaryIO) -> str:
    length = _read(f, "H")
    return f.read(length)[:-1].decode("utf-8")


def read_ct2(path: Path) -> dict[str, np.ndarray]:
    """The variables of a CTranslate2 model.bin by name, aliases resolved."""
    variables: dict[str, np.ndarray] = {}
    with open(path, "rb") as f:
        version = _read(f, "I")
        if version < 5:
            raise ConfigProblem(f"{path}: CTranslate2 binary version {version} is older than this reader knows (5, 6)")
        spec = _string(f)
        _read(f, "I")  # the spec's revision
        for _ in range(_read(f, "I")):
            name = _string(f)
            shape = tuple(_read(f, "I") for _ in range(_read(f, "B")))
            dtype = CT2_TYPES[int(_read(f, "B"))]
            size = _read(f, "I")
            if dtype is None:
                raise ConfigProblem(f"{path}: variable {name} is bfloat16, which this reader does not convert")
            data = f.read(size)
            if len(data) != size:
                raise ConfigProblem(f"{path} ends early: not a whole CTranslate2 model.bin")
            variables[name] = np.frombuffer(data, dtype=dtype).reshape(shape)
        for _ in range(_read(f, "I")):
            alias, target = _string(f), _string(f)
            variables[alias] = variables[target]
    if spec != "WhisperSpec":
        raise ConfigProblem(f"{path} holds a {spec}, not a Whisper model")
    return variables


def _layers(v: dict[str, np.ndarray], side: str) -> int:
    return sum(1 for name in v if name.startswith(f"{side}/layer_") and name.endswith("/ffn/linear_0/weight"))


def _linear(out: Arrays, prefix: str, weight: np.ndarray, bias: np.ndarray | None) -> None:
    out[f"{prefix}.weight"] = weight
    if bias is not None:
        out[f"{prefix}.bias"] = bias


def _norm(out: Arrays, prefix: str, v: Arrays, scope: str) -> None:
    out[f"{prefix}.weight"] = v[f"{scope}/gamma"]
    out[f"{prefix}.bias"] = v[f"{scope}/beta"]


def _attention(out: Arrays, prefix: str, v: Arrays, scope: str, cross: bool) -> None:
    """Self-attention holds q, k, v fused in linear_0; cross-attention holds q in linear_0 and k, v in linear_1."""
    if cross:
        _linear(out, f"{prefix}.query", v[f"{scope}/linear_0/weight"], v[f"{scope}/linear_0/bias"])
        kv_w, kv_b = np.split(v[f"{scope}/linear_1/weight"], 2), np.split(v[f"{scope}/linear_1/bias"], 2)
        _linear(out, f"{prefix}.key", kv_w[0], None)  # Whisper's key projection has no bias (CTranslate2 stores 0)
        _linear(out, f"{prefix}.value", kv_w[1], kv_b[1])
        _linear(out, f"{prefix}.out", v[f"{scope}/linear_2/weight"], v[f"{scope}/linear_2/bias"])
    else:
        qkv_w, qkv_b = np.split(v[f"{scope}/linear_0/weight"], 3), np.split(v[f"{scope}/linear_0/bias"], 3)
        _linear(out, f"{prefix}.query", qkv_w[0], qkv_b[0])
        _linear(out, f"{prefix}.key", qkv_w[1], None)
        _linear(out, f"{prefix}.value", qkv_w[2], qkv_b[2])
        _linear(out, f"{prefix}.out", v[f"{scope}/linear_1/weight"], v[f"{scope}/linear_1/bias"])
    _norm(out, f"{prefix}_ln", v, f"{scope}/layer_norm")


def _block(out: Arrays, prefix: str, v: Arrays, scope: str, cross: bool) -> None:
    _attention(out, f"{prefix}.attn", v, f"{scope}/self_attention", cross=False)
    if cross:
        _attention(out, f"{prefix}.cross_attn", v, f"{scope}/attention", cross=True)
    _linear(out, f"{prefix}.mlp1", v[f"{scope}/ffn/linear_0/weight"], v[f"{scope}/ffn/linear_0/bias"])
    _linear(out, f"{prefix}.mlp2", v[f"{scope}/ffn/linear_1/weight"], v[f"{scope}/ffn/linear_1/bias"])
    _norm(out, f"{prefix}.mlp_ln", v, f"{scope}/ffn/layer_norm")


def mlx_weights(
    v: dict[str, np.ndarray], alignment_heads: list[list[int]], dtype: type
) -> tuple[Arrays, dict[str, int]]:
    """(weights by mlx-whisper's names, its ModelDimensions) from CTranslate2's Whisper variables."""
    out: dict[str, np.ndarray] = {}
    for i, scope in enumerate(("encoder/conv1", "encoder/conv2")):
        out[f"encoder.conv{i + 1}.weight"] = v[f"{scope}/weight"].transpose(0, 2, 1)
        out[f"encoder.conv{i + 1}.bias"] = v[f"{scope}/bias"]
    n_audio_layer, n_text_layer = _layers(v, "encoder"), _layers(v, "decoder")
    for i in range(n_audio_layer):
        _block(out, f"encoder.blocks.{i}", v, f"encoder/layer_{i}", cross=False)
    _norm(out, "encoder.ln_post", v, "encoder/layer_norm")
    out["decoder.token_embedding.weight"] = v["decoder/embeddings/weight"]
    out["decoder.positional_embedding"] = v["decoder/position_encodings/encodings"]
    for i in range(n_text_layer):
        _block(out, f"decoder.blocks.{i}", v, f"decoder/layer_{i}", cross=True)
    _norm(out, "decoder.ln", v, "decoder/layer_norm")
    out = {k: np.ascontiguousarray(a, dtype=dtype) for k, a in out.items()}
    out["alignment_heads"] = np.asarray(alignment_heads, dtype=np.int32).reshape(-1, 2)
    conv1 = v["encoder/conv1/weight"]
    dims = {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(conv1.shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return out, dims


def convert(source: Path, target: Path, dtype: str) -> Path:
    """Convert the CTranslate2 Whisper model in `source` into mlx-whisper's format in `target` (whole or not at all)."""
    config = json.loads((source / "config.json").read_text())
    heads = config.get("alignment_heads")
    if not heads:
        raise ConfigProblem(f"{source}/config.json has no alignment_heads: word timings would use the wrong heads")
    weights, dims = mlx_weights(read_ct2(source / "model.bin"), heads, np.dtype(dtype).type)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        arrays: dict[str, Any] = dict(weights)  # savez takes the arrays as keywords beside its own
        np.savez(staging / "weights.npz", **arrays)
        (staging / "config.json").write_text(json.dumps({**dims, "model_type": "whisper"}, indent=1))
        if target.exists():
            shutil.rmtree(target)
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def is_converted(folder: Path) -> bool:
    return all((folder / name).is_file() for name in CONVERTED_FILES)


def converted_folder(name: str, dtype: str) -> Path:
    """Where the converted weights of bundled model `name` live: <models>/mlx/whisper-<name>-<dtype>."""
    return models_dir() / "mlx" / f"whisper-{name}-{dtype}"


def converted_bundled(name: str, dtype: str) -> Path | None:
    """The converted weights of bundled model `name`, converted now if they are not yet; None if it is not bundled."""
    source = bundled_models().get(name)
    if source is None:
        return None
    target = converted_folder(name, dtype)
    return target if is_converted(target) else convert(source, target, dtype)


def resolve_mlx_model(name: str, repo: str | None, dtype: str, channel: Channel) -> Path:
    """The folder mlx-whisper loads for `name`: a folder given, a bundled model converted here, or `repo`
    (mlx-community's conversion, or `name` itself when it is a repo id) downloaded once by hub_download. Never a name:
    mlx-whisper would download it by itself, outside dropscribe's path (no progress, no resume, no checks)."""
    if os.path.isdir(name):
        if not (Path(name) / "config.json").is_file() or not is_complete(Path(name), MLX):
            raise ConfigProblem(f"model folder {name} has no config.json and weights (expected an MLX Whisper model)")
        return Path(name)
    bundled = converted_bundled(name, dtype)
    if bundled is not None:
        return bundled
    repo = repo or (name if "/" in name and not os.path.isabs(name) else None)
    if repo is None:
        raise ConfigProblem(f"the mlx backend knows no model {name!r}: use base, tiny.en, a short name or a repo id")
    root = downloads_dir() / "mlx"  # apart from CTranslate2 downloads: a repo id may name either kind
    folder = model_folder(root, repo)
    if is_complete(folder, MLX):
        return folder
    if offline():
        raise ConfigProblem(
            f"the MLX model {repo!r} is not downloaded and downloads are off (HF_HUB_OFFLINE=1): "
            "use a bundled model (base, tiny.en) or connect once"
        )
    return ensure_model(repo, root, channel, MLX)


def main(argv: list[str]) -> int:
    """`python -m dropscribe_stages.weights.mlx_weights [float32|float16]`: convert the bundled models once (setup),
    in the dtype MLX runs them in here (float16 on Metal, float32 on the CPU backend) unless one is given."""
    from ..asr.mlx_runtime import load

    dtype = argv[0] if argv else load()[1].dtype
    for name in sorted(bundled_models()):
        try:
            path = converted_bundled(name, dtype)
        except ConfigProblem as exc:
            print(f"dropscribe: {exc}", file=sys.stderr)
            return 78
        print(f"dropscribe: MLX weights of {name} ({dtype}) at {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
