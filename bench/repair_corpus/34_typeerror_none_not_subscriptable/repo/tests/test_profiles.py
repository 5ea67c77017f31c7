from profiles.addresses import default_address, shipping_city

P = {"addresses": [{"city": "Lyon"}, {"city": "Paris", "default": True}]}


def test_default_address():
    assert default_address(P)["city"] == "Paris"
    assert default_address({}) is None


def test_city():
    assert shipping_city(P) == "Paris"
