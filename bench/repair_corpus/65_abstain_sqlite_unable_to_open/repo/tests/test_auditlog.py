from auditlog.db import open_db, record


def test_record():
    conn = open_db(":memory:")
    record(conn, "2026-11-24T02:00:00Z", "ada", "login")
    assert conn.execute("SELECT actor, action FROM events").fetchall() == [("ada", "login")]
