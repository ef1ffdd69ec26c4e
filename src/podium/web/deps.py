"""Dependencies shared by the JSON API, the ODF routes and the pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from podium.core.db import Planes

__all__ = ["GamesSession", "games_session"]


def games_session(request: Request) -> Iterator[Session]:
    """Yield a games-plane session (read-only use) for one request."""
    planes: Planes = request.app.state.planes
    with planes.games_session() as session:
        yield session


GamesSession = Annotated[Session, Depends(games_session)]
"""A games-plane session for one request."""
