"""Podium domain package."""
