"""`podium accessibility`: the accessibility commands."""

from __future__ import annotations

import typer

__all__ = ["accessibility_app"]

accessibility_app = typer.Typer(help="Accessibility.")
