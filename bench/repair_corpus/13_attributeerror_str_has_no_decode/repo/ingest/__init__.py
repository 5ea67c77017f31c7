"""Message ingestion."""
