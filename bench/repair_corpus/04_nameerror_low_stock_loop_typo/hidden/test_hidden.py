from inventory.restock import low_stock


def test_reorders_low_items_in_order():
    items = [{"sku": "A-1", "on_hand": 2}, {"sku": "B-2", "on_hand": 9}, {"sku": "C-3", "on_hand": 0}]
    assert low_stock(items) == ["A-1", "C-3"]
    assert low_stock(items, threshold=10) == ["A-1", "B-2", "C-3"]
