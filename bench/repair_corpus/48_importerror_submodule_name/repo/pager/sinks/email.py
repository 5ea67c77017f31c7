"""E-mail sink."""


def render(alert: dict) -> str:
    return f"Subject: [{alert['severity'].upper()}] {alert['title']}"
