"""Device presence."""
