"""Deployment bot."""
