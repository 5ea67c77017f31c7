from batch.progress import percent_complete, progress_bar


def test_empty_job_is_complete():
    assert percent_complete(0, 0) == 100.0
    assert progress_bar(0, 0, width=4) == "[####]"
