from cdn.urls import AssetLinks, build_url


def test_build_url():
    assert build_url("https://cdn.x/", "/a.js", version="3") == "https://cdn.x/a.js?v=3"


def test_image():
    assert AssetLinks("https://cdn.x").image("logo.svg") == "https://cdn.x/img/logo.svg"
