import pytest

from dropscribe_stages.runtime.errors import ConfigProblem
from dropscribe_stages.weights.demucs_models import resolve_model, signature


def test_a_model_name_goes_to_demucs_own_lookup():
    assert resolve_model("htdemucs") == ("htdemucs", None)


def test_a_local_folder_holding_one_model_is_its_repo(tmp_path):
    (tmp_path / "955717e8-8726e21a.th").write_bytes(b"")
    assert resolve_model(str(tmp_path)) == ("955717e8", tmp_path)


def test_a_folder_with_two_models_or_none_is_refused(tmp_path):
    with pytest.raises(ConfigProblem, match="exactly one model"):
        resolve_model(str(tmp_path))
    (tmp_path / "a.th").write_bytes(b"")
    (tmp_path / "b.th").write_bytes(b"")
    with pytest.raises(ConfigProblem, match="exactly one model"):
        resolve_model(str(tmp_path))


def test_a_th_file_is_named_by_its_signature(tmp_path):
    assert signature(tmp_path / "sig-checksum.th") == "sig"
    assert signature(tmp_path / "bag.yaml") == "bag"
