"""Page management for the marketing site."""
