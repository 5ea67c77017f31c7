"""Helpers shared by the test suites (not test modules themselves)."""
