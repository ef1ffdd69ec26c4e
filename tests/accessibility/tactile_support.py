"""What the tactile stream tests share: units, a tracking operator, tokens, a served node.

The tracking operator is made once per node (the function is idempotent, so several
test modules may ask for it): an EU member of staff with the `results-manager` role, a
password for the sign-in form and a token per set of scopes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from podium.core.db import Planes
from podium.core.errors import NotFoundError
from podium.privacy.operators import create_operator, find_operator, issue_token
from podium.privacy.sessions import open_web_session
from podium.privacy.spine import Spine
from tests.operators import PASSWORD

FOOTBALL_FINAL = "FBLMTEAM11------------FNL-000100--"
"""The men's football final, France v Spain: a pitch."""
MARATHON = "ATHMMARATHON----------FNL-000100--"
"""The men's marathon: no ball for a tablet to follow."""
TRACKER = "eu-tracker"
PURPOSE = "results"

__all__ = ["FOOTBALL_FINAL", "MARATHON", "PASSWORD", "PURPOSE", "TRACKER", "Tracker", "tracker"]


@dataclass(frozen=True)
class Tracker:
    """The tracking operator's credentials on one node."""

    username: str
    purpose: str
    results_token: str
    football_token: str
    unrelated_token: str
    cookie: str


def _token(planes: Planes, username: str, scopes: list[str], name: str) -> str:
    with planes.sovereign_session() as session:
        return issue_token(session, username, scopes, name=name, lifetime=timedelta(days=1))


def tracker(planes: Planes, spine: Spine) -> Tracker:
    """Create (once) the tracking operator on a node; return fresh credentials."""
    with planes.sovereign_session() as session:
        try:
            find_operator(session, TRACKER)
        except NotFoundError:
            create_operator(
                session,
                username=TRACKER,
                display_name="Eu Tracker",
                home_country="FR",
                organisation="PARIS2024",
                roles=["results-manager"],
                purposes=[PURPOSE],
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=PASSWORD,
            )
    with planes.sovereign_session() as session:
        cookie = open_web_session(session, find_operator(session, TRACKER), PURPOSE)
    return Tracker(
        username=TRACKER,
        purpose=PURPOSE,
        results_token=_token(planes, TRACKER, ["results:unit:write"], "tactile-all"),
        football_token=_token(planes, TRACKER, ["results:fbl:write"], "tactile-fbl"),
        unrelated_token=_token(planes, TRACKER, ["entries:entry:read"], "tactile-none"),
        cookie=cookie,
    )
