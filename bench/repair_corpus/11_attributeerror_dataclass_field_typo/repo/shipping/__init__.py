"""Parcel shipping quotes."""
