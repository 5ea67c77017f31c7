"""Fulfilment service."""
