"""Alert delivery."""
