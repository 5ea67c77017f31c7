from uploader.limits import max_upload_mb


def test_malformed_falls_back():
    assert max_upload_mb("25MB") == 25
    assert max_upload_mb("") == 25
    assert max_upload_mb(" 64 ") == 64
