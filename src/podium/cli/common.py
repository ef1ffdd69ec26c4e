"""What the `podium` commands share: the console, opening the node, data checks."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from podium.core.db import Planes, open_planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.games import Unit
from podium.migrations import upgrade_all
from podium.privacy.spine import Spine, open_spine

__all__ = ["console", "has_games_data", "open_node", "open_node_spine", "require_games_data"]

console = Console(stderr=True)
"""Messages for the operator go to standard error; data goes to standard output."""


def open_node(settings: Settings) -> Planes:
    """Open both planes and migrate them, or exit with a one-line reason.

    Raises:
        typer.Exit: code 2 when a database cannot be opened or migrated.
    """
    try:
        planes = open_planes(settings)
        upgrade_all(planes.games, planes.sovereign)
    except (SQLAlchemyError, ValueError, OSError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        console.print(escape(f"cannot open the databases: {first}"), soft_wrap=True)
        console.print(
            escape(
                f"  games plane: {settings.games_url()}\n"
                f"  sovereign plane: {settings.sovereign_url()}"
            )
        )
        raise typer.Exit(code=2) from None
    return planes


def open_node_spine(settings: Settings) -> tuple[Planes, Spine]:
    """Open and migrate both planes, then the privacy services, or exit with the reason.

    Raises:
        typer.Exit: code 2 when a database, the policy file or the master key is unusable.
    """
    planes = open_node(settings)
    try:
        spine = open_spine(settings)
    except PodiumError as error:
        planes.dispose()
        console.print(escape(f"cannot open the privacy services: [{error.code}] {error}"))
        raise typer.Exit(code=2) from None
    return planes, spine


def has_games_data(planes: Planes) -> bool:
    """Return whether the games plane holds any unit (an import has run)."""
    with planes.games_session() as session:
        return bool(session.scalar(select(func.count()).select_from(Unit)))


def require_games_data(planes: Planes, settings: Settings) -> None:
    """Exit with advice when no Games data has been imported yet.

    Raises:
        typer.Exit: code 1 when the games plane is empty.
    """
    if not has_games_data(planes):
        console.print(
            escape(
                f"no Games data in {settings.data_dir}:"
                f" run `podium --data-dir {settings.data_dir} import paris2024` first"
            )
        )
        planes.dispose()
        raise typer.Exit(code=1)
