"""`podium entries`: the entries commands."""

from __future__ import annotations

import typer

__all__ = ["entries_app"]

entries_app = typer.Typer(help="Entries.")
