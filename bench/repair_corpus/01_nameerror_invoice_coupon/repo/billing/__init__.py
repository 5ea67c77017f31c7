"""Monthly billing run."""
