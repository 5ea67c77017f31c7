"""Release tracking."""
