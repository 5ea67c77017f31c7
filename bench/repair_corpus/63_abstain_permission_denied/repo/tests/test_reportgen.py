import csv

from reportgen.writer import write_report


def test_write_report(tmp_path):
    path = write_report(str(tmp_path), "2026-11-24", [{"sku": "A", "qty": 1}])
    with open(path) as fh:
        assert list(csv.DictReader(fh)) == [{"qty": "1", "sku": "A"}]
