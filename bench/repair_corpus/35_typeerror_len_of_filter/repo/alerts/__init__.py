"""On-call alerting."""
