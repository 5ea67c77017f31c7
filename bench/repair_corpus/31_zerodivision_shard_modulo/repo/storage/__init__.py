"""Blob storage front-end."""
