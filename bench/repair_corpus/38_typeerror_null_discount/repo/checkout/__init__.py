"""Checkout."""
