"""Course management."""
