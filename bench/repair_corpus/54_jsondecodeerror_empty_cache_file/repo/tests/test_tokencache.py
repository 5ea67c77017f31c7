from tokencache.store import load_cache, save_cache


def test_roundtrip(tmp_path):
    p = str(tmp_path / "tokens.json")
    save_cache(p, {"client-a": "tok"})
    assert load_cache(p) == {"client-a": "tok"}


def test_missing_file(tmp_path):
    assert load_cache(str(tmp_path / "none.json")) == {}
