"""Staff sign-in sessions are bounded by their roles' scopes (`[role_scopes]` of the policy).

A session carries no scopes of its own; `podium.web.auth.require_scope` admits it on a
route only when one of its roles grants the route's scope in the policy's `[role_scopes]`
table, and answers 403 `role_missing` otherwise. The table below says, by hand and for a
few representative routes of each domain, which roles a real job needs there: it is the
expectation, not a copy of the policy file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from podium.api import create_app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import ImportReport
from podium.privacy.operators import create_operator
from podium.privacy.spine import open_spine
from tests.diffusion.conftest import copy_sqlite_node
from tests.operators import PASSWORD

ROLES = (
    "admin",
    "dpo",
    "legal-counsel",
    "accreditation-officer",
    "organisation-registrar",
    "vetting-officer",
    "ticketing-agent",
    "gate-staff",
    "entries-officer",
    "accessibility-coordinator",
    "results-manager",
    "support-engineer",
)


@dataclass(frozen=True)
class Route:
    """One scope-guarded route and the roles whose sessions it admits."""

    method: str
    path: str
    scope: str
    allowed: frozenset[str]


def _route(method: str, path: str, scope: str, *allowed: str) -> Route:
    return Route(method, path, scope, frozenset(allowed))


ROUTES = (
    # feed administration: the platform's operators
    _route("GET", "/api/feed/consumers", "diffusion:consumer:read", "support-engineer"),
    _route("POST", "/api/feed/consumers", "diffusion:consumer:write", "support-engineer"),
    # sport entries: the entries officer writes; results managers read start lists
    _route("GET", "/api/entries", "entries:entry:read", "entries-officer", "results-manager"),
    _route("POST", "/api/entries", "entries:entry:write", "entries-officer"),
    _route(
        "GET",
        "/staff/entries/start-list",
        "entries:entry:read",
        "entries-officer",
        "results-manager",
    ),
    # people registration: a responsible organisation's registrar
    _route("POST", "/api/people", "people:registration:write", "organisation-registrar"),
    _route("GET", "/staff/portal", "people:registration:write", "organisation-registrar"),
    # accreditation
    _route(
        "GET",
        "/api/accreditation/applications/1",
        "accreditation:application:read",
        "accreditation-officer",
        "organisation-registrar",
        "vetting-officer",
    ),
    _route(
        "POST",
        "/api/accreditation/revocations/publish",
        "accreditation:application:write",
        "accreditation-officer",
    ),
    _route("POST", "/api/accreditation/vetting", "accreditation:vetting:write", "vetting-officer"),
    _route("GET", "/api/accreditation/keys", "accreditation:zone:check", "gate-staff", "admin"),
    # data-subject rights and the audit log
    _route("GET", "/api/subject-requests", "subjects:request:read", "dpo", "legal-counsel"),
    _route("GET", "/api/audit/verify", "privacy:audit:read", "dpo", "legal-counsel"),
    _route(
        "GET",
        "/api/operators",
        "privacy:operator:read",
        "admin",
        "dpo",
        "legal-counsel",
        "support-engineer",
    ),
    _route("POST", "/api/operators", "privacy:operator:write", "admin"),
    # ticketing and gates (the previous `roles=` bounds, kept)
    _route("GET", "/api/ticketing/staff/orders", "ticketing:order:read", "ticketing-agent"),
    _route("GET", "/api/gates/double-entries", "gates:device:manage", "admin"),
    _route("POST", "/api/gates/scan", "gates:device:scan", "gate-staff", "admin"),
)


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A private copy of the imported node with one operator per role (`r-<role>`)."""
    data_dir = tmp_path_factory.mktemp("role-scopes") / "node"
    copy_sqlite_node(imported[2], data_dir)
    settings = Settings(data_dir=data_dir, secure_cookies=False)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(settings)
    with planes.sovereign_session() as session:
        for role in ROLES:
            create_operator(
                session,
                username=f"r-{role}",
                display_name=f"Role {role}",
                home_country="FR",
                organisation="FRA",
                roles=(role,),
                purposes=tuple(sorted(spine.pdp.purposes)),
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=PASSWORD,
            )
    with TestClient(create_app(settings, planes, spine), follow_redirects=False) as client:
        yield client
    spine.close()
    planes.dispose()


def test_the_table_names_every_role_of_the_policy(node: TestClient) -> None:
    assert set(ROLES) == set(node.app.state.spine.pdp.roles)  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", ROLES)
def test_a_session_reaches_only_the_routes_its_roles_grant(node: TestClient, role: str) -> None:
    node.cookies.clear()
    signed = node.post(
        "/staff/login", data={"username": f"r-{role}", "password": PASSWORD, "purpose": ""}
    )
    assert signed.status_code == 303, signed.text
    for route in ROUTES:
        response = node.request(
            route.method, route.path, json={} if route.method == "POST" else None
        )
        refused = response.status_code == 403 and route.scope in response.text
        if role in route.allowed:
            assert not refused, f"{role} refused {route.method} {route.path}: {response.text}"
        else:
            assert response.status_code == 403, f"{role} let through {route.method} {route.path}"
            if route.path.startswith("/api/"):
                assert response.json()["error"] == "role_missing", route.path
            assert route.scope in response.text, route.path
