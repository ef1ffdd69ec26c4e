"""`podium gate`: the gate commands."""

from __future__ import annotations

import typer

__all__ = ["gate_app"]

gate_app = typer.Typer(help="Gate.")
