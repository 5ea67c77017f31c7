from batch.progress import percent_complete, progress_bar


def test_percent():
    assert percent_complete(1, 3) == 33.3


def test_bar():
    assert progress_bar(5, 10, width=10) == "[#####     ]"
