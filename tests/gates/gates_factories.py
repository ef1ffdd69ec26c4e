"""Factories and hypothesis strategies for the gates tests."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from podium.gates import AccreditationBody, Credential, VenueGrant

T0 = datetime(2024, 7, 18, tzinfo=UTC)
"""Cards of the tests are valid from here (the Olympic village opened on 18 July 2024)."""
T_END = datetime(2024, 8, 14, 23, 59, 59, tzinfo=UTC)
DURING = datetime(2024, 7, 30, 10, 30, tzinfo=UTC)

CODE_CHARS = string.ascii_letters + string.digits + "_-"


def athlete_card(
    number: int = 123_456, serial: int = 1, venues: tuple[VenueGrant, ...] = ()
) -> Credential:
    """Return an athlete's card: zones 1, 2, 3 and the village R."""
    body = AccreditationBody("Aa", ("1", "2", "3", "R"), venues)
    return Credential(number, serial, T0, T_END, body)


codes = st.text(CODE_CHARS, min_size=1, max_size=16)
code_lists = st.lists(codes, max_size=8).map(tuple)
seconds = st.integers(0, 0xFFFFFFFF)


@st.composite
def credentials(draw: st.DrawFn) -> Credential:
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
