"""Smart-meter telemetry."""
