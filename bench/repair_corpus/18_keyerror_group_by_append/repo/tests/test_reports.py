from reports.grouping import customer_count, group_by_customer


def test_customer_count():
    assert customer_count([{"customer": "a"}, {"customer": "b"}, {"customer": "a"}]) == 2


def test_no_orders():
    assert group_by_customer([]) == {}
