from shipping.rates import Parcel, shipping_cost


def test_express_parcel():
    assert shipping_cost(Parcel(2.0, express=True)) == 8.9
    assert shipping_cost(Parcel(0.5, express=True)) == 5.9
