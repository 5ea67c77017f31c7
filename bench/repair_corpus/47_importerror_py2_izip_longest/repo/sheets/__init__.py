"""Spreadsheet import."""
