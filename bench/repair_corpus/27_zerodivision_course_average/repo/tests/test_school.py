from school.grades import course_average, letter


def test_letters():
    assert [letter(s) for s in (91, 70, 50, 49.9)] == ["A", "B", "C", "F"]


def test_average():
    assert course_average([70, 80, 95]) == 81.7
