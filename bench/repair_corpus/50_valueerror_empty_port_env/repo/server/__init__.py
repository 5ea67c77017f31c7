"""HTTP server bootstrap."""
