"""Podium: the technology platform of the Olympic and Paralympic Games and any multi-sport event."""

__all__ = ["__version__"]

__version__ = "0.1.0"
