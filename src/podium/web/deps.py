"""Dependencies shared by the JSON API, the ODF routes and the pages.

The application's clock: every request handler reads the time from `clock_of(request)` /
`now_of(request)`, never from `system_clock` or `datetime.now`. It is `app.state.clock`
when the application sets one (tests and demos move it), else the system clock; services
opened once per node (the accreditation desk, the ticket office, the gate services) are
given an `AppClock`, which reads `app.state.clock` at every call, so a clock set or
replaced later still counts. One clock for opening and checking a session, stamping a
step and computing a deadline: a fan session opened on the pages is the same one the API
checks.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from podium.core.clock import Clock, system_clock
from podium.core.db import Planes

__all__ = ["AppClock", "GamesSession", "clock_of", "games_session", "now_of"]


class AppClock:
    """A `Clock` that reads the application's clock at every call.

    Args:
        app: the FastAPI application (or anything with a `state`); its `state.clock`, when
            set, is called, else the system clock.

    """

    def __init__(self, app: Any) -> None:
        """Hold the application; see the class docstring."""
        self._state = app.state

    def __call__(self) -> datetime:
        """Return the current time on the application's clock (aware UTC)."""
        clock: Clock = getattr(self._state, "clock", None) or system_clock
        return clock()


def clock_of(request: Request) -> Clock:
    """Return the application's clock (`app.state.clock`), else the system clock."""
    clock: Clock = getattr(request.app.state, "clock", None) or system_clock
    return clock


def now_of(request: Request) -> datetime:
    """Return the current time on the application's clock (aware UTC)."""
    return clock_of(request)()


def games_session(request: Request) -> Iterator[Session]:
    """Yield a games-plane session (read-only use) for one request."""
    planes: Planes = request.app.state.planes
    with planes.games_session() as session:
        yield session


GamesSession = Annotated[Session, Depends(games_session)]
"""A games-plane session for one request."""
