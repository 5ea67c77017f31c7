from sheets.table import columns


def test_columns_padded():
    assert columns([["a", "b"], ["c"]]) == [["a", "c"], ["b", ""]]
    assert columns([["1"], ["2", "3"]], fill="-") == [["1", "2"], ["-", "3"]]
