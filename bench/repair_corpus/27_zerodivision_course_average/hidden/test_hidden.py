from school.grades import course_average


def test_no_scores():
    assert course_average([]) == 0.0


def test_single_score():
    assert course_average([64.25]) == 64.2
