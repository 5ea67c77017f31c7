"""File upload service."""
