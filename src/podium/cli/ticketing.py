"""`podium ticketing`: the ticketing commands."""

from __future__ import annotations

import typer

__all__ = ["ticketing_app"]

ticketing_app = typer.Typer(help="Ticketing.")
