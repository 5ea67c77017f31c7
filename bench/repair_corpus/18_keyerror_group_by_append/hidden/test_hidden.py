from reports.grouping import group_by_customer


def test_groups_keep_order():
    orders = [{"customer": "a", "id": "o1"}, {"customer": "b", "id": "o2"}, {"customer": "a", "id": "o3"}]
    assert group_by_customer(orders) == {"a": ["o1", "o3"], "b": ["o2"]}
