"""Feed rendering."""
