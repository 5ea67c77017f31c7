from cms.slugs import title_case


def test_title_case():
    assert title_case("  the   quick brown fox ") == "The Quick Brown Fox"
