"""Working-day arithmetic."""
