import pytest

from dropscribe_stages.asr.aligned import aligned_segment, local_model_folder
from dropscribe_stages.runtime.errors import ConfigProblem


def test_words_without_times_take_their_neighbours_and_move_by_the_offset():
    seg = {
        "start": 1.0,
        "end": 3.0,
        "text": "it is 42",
        "words": [
            {"word": "it", "start": 1.0, "end": 1.2, "score": 0.9},
            {"word": "42"},
            {"word": "is", "start": 1.5, "end": 2.0, "score": 0.8},
        ],
    }
    out = aligned_segment(seg, 10.0)
    assert [w["start"] for w in out["words"]] == [11.0, 11.2, 11.5]
    assert [w["word"] for w in out["words"]] == [" it", " 42", " is"]
    assert out["words"][1]["probability"] is None
    assert (out["start"], out["end"]) == (11.0, 13.0)


def test_a_model_name_is_kept_and_a_missing_folder_refused(tmp_path):
    assert local_model_folder("jonatasgrosman/wav2vec2-large-xlsr-53-english") == (
        "jonatasgrosman/wav2vec2-large-xlsr-53-english"
    )
    assert local_model_folder(None) is None
    assert local_model_folder(str(tmp_path)) == str(tmp_path.resolve())
    with pytest.raises(ConfigProblem, match="does not exist"):
        local_model_folder(str(tmp_path / "missing"))
