"""HTTP utilities for the upload proxy."""
