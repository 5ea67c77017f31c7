"""Helpdesk UI backend."""
