from shipping.rates import Parcel, shipping_cost


def test_standard_parcel():
    assert shipping_cost(Parcel(2.0)) == 7.3
