"""Service metrics aggregation."""
