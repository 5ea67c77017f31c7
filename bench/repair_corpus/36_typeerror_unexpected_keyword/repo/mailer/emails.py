"""Builds the e-mails the product sends."""

from __future__ import annotations

from mailer.templates import render_template


def reset_email(link: str) -> dict:
    return {"subject": "Password reset", "body": render_template("reset", {"link": link})}


def welcome_email(user: dict) -> dict:
    """Welcome e-mail in the user's language (user["locale"], e.g. "fr")."""
    body = render_template("welcome", {"name": user["name"]}, locale=user["locale"])
    return {"subject": "Welcome", "body": body}
