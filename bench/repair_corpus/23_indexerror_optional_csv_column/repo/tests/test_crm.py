from crm.importer import parse_contact, parse_contacts


def test_full_line():
    assert parse_contact("Ada, ADA@X.IO, +44 1, Analytical Ltd") == {
        "name": "Ada", "email": "ada@x.io", "phone": "+44 1", "company": "Analytical Ltd"}


def test_header_only():
    assert parse_contacts("name,email,phone,company\n") == []
