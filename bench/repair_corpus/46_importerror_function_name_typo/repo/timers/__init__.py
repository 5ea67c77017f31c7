"""Recurring timers."""
