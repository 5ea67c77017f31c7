from inventory.restock import low_stock


def test_nothing_to_reorder():
    assert low_stock([{"sku": "A-1", "on_hand": 12}, {"sku": "B-2", "on_hand": 5}]) == []


def test_discontinued_items_are_skipped():
    assert low_stock([{"sku": "Z-9", "on_hand": 0, "discontinued": True}]) == []
