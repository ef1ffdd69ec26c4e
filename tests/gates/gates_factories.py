"""Factories and hypothesis strategies for the gates tests."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from podium.gates import AccreditationBody, Credential, TicketBody, VenueGrant

T0 = datetime(2024, 7, 18, tzinfo=UTC)
"""Cards of the tests are valid from here (the Olympic village opened on 18 July 2024)."""
T_END = datetime(2024, 8, 14, 23, 59, 59, tzinfo=UTC)
DURING = datetime(2024, 7, 30, 10, 30, tzinfo=UTC)

CODE_CHARS = string.ascii_letters + string.digits + "_-"


def athlete_card(
    number: int = 123_456, serial: int = 1, venues: tuple[VenueGrant, ...] = ()
) -> Credential[AccreditationBody]:
    """Return an athlete's card: zones 1, 2, 3 and the village R."""
    body = AccreditationBody("Aa", ("1", "2", "3", "R"), venues)
    return Credential(number, serial, T0, T_END, body)


codes = st.text(CODE_CHARS, min_size=1, max_size=16)
code_lists = st.lists(codes, max_size=8).map(tuple)
seconds = st.integers(0, 0xFFFFFFFF)


@st.composite
def credentials(draw: st.DrawFn) -> Credential[AccreditationBody]:
    """Draw any credential format version 1 can carry."""
    start, end = sorted((draw(seconds), draw(seconds)))
    venues = draw(
        st.lists(st.builds(VenueGrant, codes, st.none() | code_lists), max_size=5).map(tuple)
    )
    body = AccreditationBody(draw(codes), draw(code_lists), venues)
    return Credential(
        draw(st.integers(0, 0xFFFFFFFF)),
        draw(st.integers(0, 0xFFFF)),
        datetime.fromtimestamp(start, UTC),
        datetime.fromtimestamp(end, UTC),
        body,
        draw(st.binary(min_size=8, max_size=8)),
    )


def days(count: float) -> timedelta:
    """Return `count` days."""
    return timedelta(days=count)


CODE_KEY = bytes(range(32))
"""The ticket code key of generation 0 in the tests."""
SESSION_DAY = datetime(2024, 8, 4, tzinfo=UTC)
SESSION_END = datetime(2024, 8, 4, 23, 59, 59, tzinfo=UTC)
DOORS = datetime(2024, 8, 4, 17, 30, tzinfo=UTC)
"""The doors of session ATH12 at Stade de France open (the men's 100 m final evening)."""


def ticket(
    number: int = 500_001, serial: int = 1, gates: tuple[str, ...] = ("G1",)
) -> Credential[TicketBody]:
    """Return a ticket for session ATH12 at Stade de France on 4 August 2024."""
    body = TicketBody("ATH12", "STA", gates, 0, b"\x01" * 8, "Lower 12", "Row 3 Seat 21")
    return Credential(number, serial, SESSION_DAY, SESSION_END, body)
