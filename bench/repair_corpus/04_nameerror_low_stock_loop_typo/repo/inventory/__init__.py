"""Warehouse inventory."""
