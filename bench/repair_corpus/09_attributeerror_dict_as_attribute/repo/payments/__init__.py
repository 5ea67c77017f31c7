"""Payment-provider integration."""
