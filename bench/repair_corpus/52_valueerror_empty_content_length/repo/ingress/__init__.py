"""Ingress guard."""
