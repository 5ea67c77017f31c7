"""A/B testing."""
