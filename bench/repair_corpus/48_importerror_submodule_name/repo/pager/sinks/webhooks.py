"""Generic JSON webhook sink."""

import json


def render(alert: dict) -> str:
    return json.dumps({"text": alert["title"], "severity": alert["severity"]}, sort_keys=True)
