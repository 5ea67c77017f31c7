"""Job dispatch."""
