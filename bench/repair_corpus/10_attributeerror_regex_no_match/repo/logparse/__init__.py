"""Access-log analytics."""
