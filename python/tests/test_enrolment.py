import numpy as np

from dropscribe_stages.speakers.enrolment import VOICE_MATCH, name_voices


def test_each_name_goes_to_its_closest_cluster_once_and_only_above_the_match():
    centroids = np.array([[1.0, 0.0], [0.0, 1.0], [0.7071, 0.7071]])
    voices = [("ann", np.array([1.0, 0.0])), ("bob", np.array([0.0, 1.0])), ("cy", np.array([-1.0, 0.0]))]
    named = name_voices(centroids, voices)
    assert named == {0: "ann", 1: "bob"}
    assert VOICE_MATCH > 0.7071  # the third cluster is near both, named by neither
