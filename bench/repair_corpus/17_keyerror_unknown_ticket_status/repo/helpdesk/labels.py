"""Display labels for helpdesk tickets."""

from __future__ import annotations

STATUS_LABELS = {
    "open": "Open",
    "pending": "Waiting on customer",
    "solved": "Solved",
    "closed": "Closed",
}
#: Shown for statuses introduced by newer API versions that this UI does not know yet.
UNKNOWN_LABEL = "Unknown"


def status_label(status: str) -> str:
    """Human label for a ticket status (case-insensitive); unknown statuses show as UNKNOWN_LABEL."""
    return STATUS_LABELS[status.lower()]
