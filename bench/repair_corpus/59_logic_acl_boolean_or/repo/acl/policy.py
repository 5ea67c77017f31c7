"""Edit permissions for shared documents."""

from __future__ import annotations


def can_edit(user: dict, doc: dict) -> bool:
    """Suspended users can edit nothing; admins can edit everything; everybody else only their own
    documents, and never archived ones."""
    if user.get("suspended"):
        return False
    if user.get("admin"):
        return True
    return doc["owner"] == user["id"] or not doc.get("archived")
