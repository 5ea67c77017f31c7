from survey.weights import weighted_mean


def test_nobody_counted():
    assert weighted_mean([4.0, 5.0], [0.0, 0.0]) is None
    assert weighted_mean([], []) is None
