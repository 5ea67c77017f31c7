"""Tiny template catalogue for transactional e-mails."""

from __future__ import annotations

TEMPLATES = {
    ("welcome", "en"): "Welcome aboard, {name}!",
    ("welcome", "fr"): "Bienvenue, {name} !",
    ("reset", "en"): "Use this link to reset your password: {link}",
}


def render_template(name: str, context: dict, lang: str = "en") -> str:
    """Render template `name` in `lang`, falling back to English."""
    template = TEMPLATES.get((name, lang)) or TEMPLATES[(name, "en")]
    return template.format(**context)
