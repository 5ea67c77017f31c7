"""Text statistics for the search team."""
