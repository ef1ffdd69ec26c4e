"""`podium accreditation`: the accreditation commands."""

from __future__ import annotations

import typer

__all__ = ["accreditation_app"]

accreditation_app = typer.Typer(help="Accreditation.")
