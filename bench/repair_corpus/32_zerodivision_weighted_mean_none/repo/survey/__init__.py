"""Survey analysis."""
