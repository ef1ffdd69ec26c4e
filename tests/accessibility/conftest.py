"""Fixtures of the accessibility tests: the live-feed nodes of `tests/diffusion`, shared.

Declared once here, so that the session's PostgreSQL template is imported once for the
whole package, not once per module that uses it.
"""

from tests.diffusion.conftest import live_planes, live_settings, pg_template, sqlite_settings

__all__ = ["live_planes", "live_settings", "pg_template", "sqlite_settings"]
