from exports.formatters import money
from exports.report import header


def test_header():
    assert header() == "id,date,amount"


def test_money():
    assert money(1999) == "19.99"
