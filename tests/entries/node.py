"""A private SQLite node with the real entries loaded, two entries operators and the app.

`fra-entries` works for the French NOC, `ocog-entries` for the organising committee; both
hold the role `entries-officer` and have a password (staff pages) and an API token with the
entries scopes. The app's entries
clock stands before the entry deadline.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from podium.api import create_app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.entries import load_paris2024_entries
from podium.migrations import upgrade_all
from podium.privacy.operators import create_operator, issue_token
from podium.privacy.spine import Spine, open_spine
from tests.diffusion.conftest import copy_sqlite_node
from tests.entries.conftest import BEFORE_DEADLINE, context_at
from tests.operators import PASSWORD

ACCOUNTS = {"fra-entries": "FRA", "ocog-entries": "PARIS2024", "ita-entries": "ITA"}
SCOPES = ["entries:entry:read", "entries:entry:write"]


@dataclass
class EntriesNode:
    """The node: its planes, spine, app and each account's API token."""

    planes: Planes
    spine: Spine
    app: FastAPI
    tokens: dict[str, str]
    password: str = PASSWORD


@contextmanager
def entries_node(source: Path, target: Path) -> Iterator[EntriesNode]:
    """Copy the imported node at `source` to `target`, load the entries, yield the node."""
    copy_sqlite_node(source, target)
    settings = Settings(data_dir=target, secure_cookies=False)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(settings)
    with planes.games_session() as games:
        load_paris2024_entries(games, context_at(BEFORE_DEADLINE))
    tokens = {}
    with planes.sovereign_session() as session:
        for username, organisation in ACCOUNTS.items():
            create_operator(
                session,
                username=username,
                display_name=f"Entries {organisation}",
                home_country="FR",
                organisation=organisation,
                roles=("entries-officer",),  # the staff pages' sessions: entries scopes
                purposes=(),
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=PASSWORD,
            )
            tokens[username] = issue_token(session, username, SCOPES, name="tests")
    app = create_app(settings, planes, spine)
    app.state.entries_clock = lambda: BEFORE_DEADLINE
    try:
        yield EntriesNode(planes, spine, app, tokens)
    finally:
        spine.close()
        planes.dispose()
