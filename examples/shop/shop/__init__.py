"""A tiny order-reporting service used as Hephaestus's bundled example."""
