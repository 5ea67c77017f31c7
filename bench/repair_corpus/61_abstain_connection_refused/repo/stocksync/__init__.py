"""Warehouse stock synchronisation."""
