"""Stock-take import."""
