"""Edge request routing."""
