from survey.weights import weighted_mean


def test_weighted_mean():
    assert weighted_mean([4.0, 2.0], [1.0, 3.0]) == 2.5
