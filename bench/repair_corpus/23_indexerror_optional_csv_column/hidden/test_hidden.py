from crm.importer import parse_contacts


def test_company_is_optional():
    rows = parse_contacts("name,email,phone,company\nBob,bob@y.io,555\nEve,eve@z.io,556,Evil Corp\n")
    assert rows[0]["company"] == ""
    assert rows[1]["company"] == "Evil Corp"
