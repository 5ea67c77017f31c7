from server.config import listen_host, listen_port


def test_defaults():
    assert listen_port({}) == 8080
    assert listen_host({"HOST": ""}) == "0.0.0.0"


def test_port_from_env():
    assert listen_port({"PORT": "9000"}) == 9000
