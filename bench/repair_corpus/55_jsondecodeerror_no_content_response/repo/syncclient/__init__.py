"""Partner API client."""
