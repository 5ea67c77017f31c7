from server.config import listen_port


def test_empty_port_uses_default():
    assert listen_port({"PORT": ""}) == 8080
