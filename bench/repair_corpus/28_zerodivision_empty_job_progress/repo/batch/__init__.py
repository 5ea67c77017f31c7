"""Batch job tracking."""
