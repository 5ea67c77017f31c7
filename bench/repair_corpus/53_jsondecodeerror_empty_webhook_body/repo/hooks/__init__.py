"""Webhook receiver."""
