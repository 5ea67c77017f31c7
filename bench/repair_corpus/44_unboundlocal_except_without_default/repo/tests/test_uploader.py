from uploader.limits import max_upload_mb


def test_values():
    assert max_upload_mb(None) == 25
    assert max_upload_mb("100") == 100
