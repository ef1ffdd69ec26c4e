"""`podium people`: the people commands."""

from __future__ import annotations

import typer

__all__ = ["people_app"]

people_app = typer.Typer(help="People.")
