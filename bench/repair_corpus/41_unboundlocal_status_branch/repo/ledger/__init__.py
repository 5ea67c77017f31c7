"""Payments ledger UI."""
