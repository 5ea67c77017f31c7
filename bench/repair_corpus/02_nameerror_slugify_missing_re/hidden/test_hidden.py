from cms.slugs import MAX_SLUG_LENGTH, slugify


def test_slugify_strips_accents_and_punctuation():
    assert slugify("Crème Brûlée: 10 Recipes!") == "creme-brulee-10-recipes"


def test_slug_is_bounded():
    assert len(slugify("word " * 40)) <= MAX_SLUG_LENGTH
