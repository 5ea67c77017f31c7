"""Maintenance job scheduler."""
