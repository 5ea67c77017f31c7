"""OAuth token cache."""
