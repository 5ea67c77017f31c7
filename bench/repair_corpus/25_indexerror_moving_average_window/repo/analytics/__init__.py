"""Product analytics."""
