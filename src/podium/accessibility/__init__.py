"""Accessibility services: live descriptions, speech and the tactile stream, from the feed."""
