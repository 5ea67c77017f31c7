"""Blog front-end."""
