"""Daily CSV reports."""
