"""CRM import tools."""
