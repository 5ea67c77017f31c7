"""Static asset links."""
