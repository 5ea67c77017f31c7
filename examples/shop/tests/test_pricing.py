from shop.pricing import average_order_value, order_total
from shop.report import build_report

ORDER = {"lines": [{"qty": 2, "unit_price": 5.0}, {"qty": 1, "unit_price": 10.0}]}


def test_order_total_includes_tax():
    assert order_total(ORDER) == 24.0


def test_average_order_value():
    assert average_order_value([ORDER, {"lines": [{"qty": 1, "unit_price": 10.0}]}]) == 18.0


def test_report_is_sorted_by_region():
    report = build_report({"west": [ORDER], "east": [ORDER]})
    assert [r["region"] for r in report] == ["east", "west"]
    assert report[0]["revenue"] == 24.0
