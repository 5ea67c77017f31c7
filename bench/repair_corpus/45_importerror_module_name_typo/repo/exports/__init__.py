"""Accounting exports."""
