"""Price lookup cache."""
