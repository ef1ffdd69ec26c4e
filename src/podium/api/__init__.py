"""The JSON API and ODF routes, and the application factory."""

from podium.api.app import create_app

__all__ = ["create_app"]
