from profiles.addresses import shipping_city


def test_no_address():
    assert shipping_city({"addresses": []}) == "unknown"
    assert shipping_city({"name": "x"}) == "unknown"
