from router.access import is_public


def test_internal_paths_are_private():
    assert not is_public("/admin/users")
    assert not is_public("//internal/metrics")


def test_other_paths_are_public():
    assert is_public("/shop/cart")
