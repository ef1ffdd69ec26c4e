"""Core: settings, the two database planes, data categories, clock and base errors."""
