from cdn.urls import AssetLinks


def test_stylesheet():
    assert AssetLinks("https://cdn.x/").stylesheet("site.css", "9f2c") == "https://cdn.x/css/site.css?v=9f2c"
