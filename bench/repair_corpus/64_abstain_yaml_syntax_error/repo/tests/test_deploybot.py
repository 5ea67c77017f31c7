from deploybot.pipeline import load_pipeline


def test_load():
    assert load_pipeline("name: api\nstages: [build, test]\n") == {"name": "api", "stages": ["build", "test"]}


def test_defaults():
    assert load_pipeline("") == {"stages": []}
