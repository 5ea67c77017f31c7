"""Search API."""
