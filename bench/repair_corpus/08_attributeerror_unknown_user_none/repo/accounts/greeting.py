"""Display names for e-mail greetings."""

from __future__ import annotations

from dataclasses import dataclass

GUEST_NAME = "Guest"


@dataclass
class User:
    email: str
    full_name: str = ""


class Directory:
    """In-memory user directory keyed by case-insensitive e-mail."""

    def __init__(self, users: list[User]) -> None:
        self._by_email = {u.email.lower(): u for u in users}

    def find(self, email: str) -> User | None:
        return self._by_email.get(email.lower())


def display_name(directory: Directory, email: str) -> str:
    """The user's full name (or e-mail when blank); unknown addresses are greeted as GUEST_NAME."""
    user = directory.find(email)
    return user.full_name.strip() or user.email
