"""API metrics."""
