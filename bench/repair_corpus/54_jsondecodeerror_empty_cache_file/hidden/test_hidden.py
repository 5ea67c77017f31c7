from tokencache.store import load_cache


def test_empty_file(tmp_path):
    p = tmp_path / "tokens.json"
    p.write_text("")
    assert load_cache(str(p)) == {}
