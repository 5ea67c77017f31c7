"""Team task board."""
