"""mlx_weights: model.bin read as ctranslate2 writes it, converted to the exact parameters mlx-whisper has."""

import json
import struct

import numpy as np
import pytest

from dropscribe_stages.runtime.errors import ConfigProblem
from dropscribe_stages.weights import mlx_weights
from dropscribe_stages.weights.models import bundled_models


def _string(s: str) -> bytes:
    data = s.encode()
    return struct.pack("<H", len(data) + 1) + data + b"\0"


def write_ct2(path, variables: dict, aliases: dict, spec="WhisperSpec") -> None:
    """model.bin as ctranslate2/specs/model_spec.py `_serialize` writes it (binary version 6)."""
    types = {np.dtype(np.float32): 0, np.dtype(np.int8): 1, np.dtype(np.int16): 2, np.dtype(np.float16): 4}
    out = struct.pack("<I", 6) + _string(spec) + struct.pack("<I", 3) + struct.pack("<I", len(variables))
    for name, value in variables.items():
        value = np.asarray(value)
        out += _string(name) + struct.pack("<B", value.ndim) + b"".join(struct.pack("<I", d) for d in value.shape)
        out += struct.pack("<B", types[value.dtype]) + struct.pack("<I", value.nbytes) + value.tobytes()
    out += struct.pack("<I", len(aliases))
    for alias, target in aliases.items():
        out += _string(alias) + _string(target)
    path.write_bytes(out)


def test_read_ct2_reads_shapes_types_scalars_and_aliases(tmp_path):
    weight = np.arange(6, dtype=np.float16).reshape(2, 3)
    write_ct2(
        tmp_path / "model.bin",
        {"decoder/embeddings/weight": weight, "decoder/num_heads": np.int16(8), "encoder/x": np.ones(4, np.float32)},
        {"decoder/projection/weight": "decoder/embeddings/weight"},
    )
    v = mlx_weights.read_ct2(tmp_path / "model.bin")
    assert v["decoder/embeddings/weight"].dtype == np.float16 and v["decoder/embeddings/weight"].shape == (2, 3)
    assert np.array_equal(v["decoder/projection/weight"], weight)
    assert int(v["decoder/num_heads"]) == 8
    assert v["encoder/x"].tolist() == [1.0] * 4


def test_read_ct2_refuses_another_spec_and_a_cut_file(tmp_path):
    write_ct2(tmp_path / "model.bin", {"a": np.ones(2, np.float32)}, {}, spec="TransformerSpec")
    with pytest.raises(ConfigProblem, match="not a Whisper model"):
        mlx_weights.read_ct2(tmp_path / "model.bin")
    data = (tmp_path / "model.bin").read_bytes()
    (tmp_path / "cut.bin").write_bytes(data[: len(data) - 5])
    with pytest.raises(ConfigProblem, match="ends early"):
        mlx_weights.read_ct2(tmp_path / "cut.bin")


def test_bundled_tiny_en_converts_to_exactly_the_parameters_of_mlx_whisper(tmp_path, monkeypatch):
    mx = pytest.importorskip("mlx.core")
    whisper = pytest.importorskip("mlx_whisper.whisper")
    from mlx.utils import tree_flatten

    source = bundled_models()["tiny.en"]
    target = mlx_weights.convert(source, tmp_path / "tiny.en", "float32")
    config = json.loads((target / "config.json").read_text())
    config.pop("model_type")
    model = whisper.Whisper(whisper.ModelDimensions(**config), mx.float32)
    expected = {k: tuple(v.shape) for k, v in tree_flatten(model.parameters()) if k != "alignment_heads"}
    weights = mx.load(str(target / "weights.npz"))
    assert {k: tuple(v.shape) for k, v in weights.items() if k != "alignment_heads"} == expected
    assert all(v.dtype == mx.float32 for k, v in weights.items() if k != "alignment_heads")
    heads = json.loads((source / "config.json").read_text())["alignment_heads"]
    assert weights["alignment_heads"].tolist() == heads, "the model's own heads, not mlx-whisper's default"
    assert not list(tmp_path.glob(".tiny.en-*")), "no staging folder is left"


def test_a_model_not_downloaded_is_a_config_problem_offline_never_a_name_for_mlx_whisper(tmp_path, monkeypatch):
    monkeypatch.setenv("DROPSCRIBE_MODELS_DIR", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ConfigProblem, match="not downloaded"):
        mlx_weights.resolve_mlx_model("small", "mlx-community/whisper-small-mlx", "float32", channel=None)
    with pytest.raises(ConfigProblem, match="knows no model"):
        mlx_weights.resolve_mlx_model("nonsense", None, "float32", channel=None)
    with pytest.raises(ConfigProblem, match="expected an MLX Whisper model"):
        mlx_weights.resolve_mlx_model(str(tmp_path), None, "float32", channel=None)
