"""The accreditation API: organisation scoping, online zone checks, gate documents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from podium.accreditation import Accreditation, accredit_participants, open_desk
from podium.api import create_app
from podium.cli.main import app as cli_app
from podium.core.db import Planes, open_planes
from podium.core.errors import PermissionDeniedError
from podium.core.settings import Settings
from podium.gates import OfflineGate, PublicKeySet, decode, from_text
from podium.migrations import upgrade_all
from podium.paris2024 import ImportReport
from podium.privacy.operators import Principal, create_operator, issue_token
from podium.privacy.regions import Region
from podium.privacy.spine import open_spine
from tests.accreditation.conftest import Clock
from tests.diffusion.conftest import copy_sqlite_node
from tests.operators import PASSWORD

IN_GAMES = "2024-07-30T10:00:00+00:00"
ALL = [
    "accreditation:application:read",
    "accreditation:application:write",
    "accreditation:vetting:write",
    "accreditation:zone:check",
]
ACCOUNTS = {
    "ocog-acc": ("PARIS2024", ALL),
    "fra-acc": ("FRA", ALL[:2]),
    "sta-gate": ("PARIS2024", ["accreditation:zone:check"]),
}


@dataclass
class Node:
    """A served node with the Paris 2024 applications and each account's token."""

    planes: Planes
    client: TestClient
    tokens: dict[str, str]

    def auth(self, username: str) -> dict[str, str]:
        """Return the Authorization header of an account."""
        return {"Authorization": f"Bearer {self.tokens[username]}"}

    def first(self, organisation: str, category: str = "A") -> int:
        """Return the first accreditation number of an organisation's category."""
        with self.planes.games_session() as games:
            found = games.scalar(
                select(Accreditation.id)
                .where(
                    Accreditation.organisation_code == organisation,
                    Accreditation.category == category,
                )
                .order_by(Accreditation.id)
            )
        assert found is not None
        return found


@pytest.fixture
def node(imported: tuple[Planes, ImportReport, Path], tmp_path: Path) -> Iterator[Node]:
    """A private SQLite copy of the imported node, its applications and its app."""
    copy_sqlite_node(imported[2], tmp_path / "node")
    settings = Settings(data_dir=tmp_path / "node", secure_cookies=False)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(settings)
    accredit_participants(open_desk(settings, planes, spine, clock=Clock()))
    tokens = {}
    with planes.sovereign_session() as session:
        for username, (organisation, scopes) in ACCOUNTS.items():
            create_operator(
                session,
                username=username,
                display_name=username,
                home_country="FR",
                organisation=organisation,
                roles=(),
                purposes=(),
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=PASSWORD,
            )
            tokens[username] = issue_token(session, username, scopes, name="tests")
    with TestClient(create_app(settings, planes, spine)) as client:
        yield Node(planes, client, tokens)
    spine.close()
    planes.dispose()


def _step(node: Node, user: str, number: int, action: str, reason: str | None = None) -> int:
    body = {"action": action} | ({"reason": reason} if reason else {})
    response = node.client.post(
        f"/api/accreditation/applications/{number}/steps", json=body, headers=node.auth(user)
    )
    return response.status_code


def _printed_card(node: Node, number: int) -> str:
    assert _step(node, "ocog-acc", number, "submit") == 200
    answer = {"answers": [{"number": number, "opinion": "favourable"}]}
    vetted = node.client.post(
        "/api/accreditation/vetting", json=answer, headers=node.auth("ocog-acc")
    )
    assert vetted.json() == {"approved": 1, "refused": 0}
    assert _step(node, "ocog-acc", number, "print") == 200
    shown = node.client.get(
        f"/api/accreditation/applications/{number}", headers=node.auth("ocog-acc")
    )
    assert [s["to_status"] for s in shown.json()["history"]] == [
        "applied",
        "in_vetting",
        "approved",
        "printed",
    ]
    card: str = shown.json()["credential"]
    return card


def test_a_noc_operator_cannot_act_on_another_nocs_people(node: Node) -> None:
    french, italian = node.first("FRA"), node.first("ITA")
    assert _step(node, "fra-acc", french, "submit") == 200
    assert _step(node, "fra-acc", french, "revoke", "own person") == 403  # the OCOG's step
    response = node.client.post(
        f"/api/accreditation/applications/{italian}/steps",
        json={"action": "submit"},
        headers=node.auth("fra-acc"),
    )
    assert (response.status_code, response.json()["error"]) == (403, "organisation_forbidden")
    read = node.client.get(
        f"/api/accreditation/applications/{italian}", headers=node.auth("fra-acc")
    )
    assert read.status_code == 403
    vetting = node.client.post(
        "/api/accreditation/vetting",
        json={"answers": [{"number": french, "opinion": "favourable"}]},
        headers=node.auth("fra-acc"),
    )
    assert vetting.status_code == 403  # the token lacks accreditation:vetting:write


def test_illegal_step_through_the_api_says_its_code(node: Node) -> None:
    number = node.first("FRA")
    response = node.client.post(
        f"/api/accreditation/applications/{number}/steps",
        json={"action": "validate"},
        headers=node.auth("ocog-acc"),
    )
    assert (response.status_code, response.json()["error"]) == (422, "accreditation_transition")


def test_zone_check_online_and_offline_through_the_api(node: Node) -> None:
    number = node.first("USA")
    card = _printed_card(node, number)
    scan = {"code": card, "venue": "STA", "zone": "1", "at": IN_GAMES}
    assert node.client.post("/api/zones/check", json=scan).status_code == 401
    assert (
        node.client.post("/api/zones/check", json=scan, headers=node.auth("fra-acc")).status_code
        == 403
    )
    answer = node.client.post("/api/zones/check", json=scan, headers=node.auth("sta-gate")).json()
    assert answer == {
        "admitted": True,
        "reason": "admitted",
        "message_en": "Admitted.",
        "message_fr": "Accès autorisé.",
    }
    gate_auth = node.auth("sta-gate")
    keys = PublicKeySet.from_json(
        node.client.get("/api/accreditation/keys", headers=gate_auth).json()
    )
    package = node.client.get("/api/accreditation/devices/STA/package", headers=gate_auth)
    gate = OfflineGate.load(package.content, keys, datetime.fromisoformat(IN_GAMES))
    assert _step(node, "ocog-acc", number, "revoke", "accreditation fraud") == 200
    refused = node.client.post("/api/zones/check", json=scan, headers=gate_auth).json()
    assert (refused["admitted"], refused["reason"]) == (False, "revoked")
    at = datetime.fromisoformat(IN_GAMES)
    assert gate.check(card, "1", at).reason == "admitted"
    published = node.client.post(
        "/api/accreditation/revocations/publish", headers=node.auth("ocog-acc")
    )
    assert published.json()["added"] == 1
    since = gate.revocation_serial
    delta = node.client.get(f"/api/accreditation/revocations?since={since}", headers=gate_auth)
    gate.apply_revocations(delta.content, at)
    assert gate.check(card, "1", at).reason == "revoked"
    unknown = node.client.get("/api/accreditation/devices/XXX/package", headers=gate_auth)
    assert (unknown.status_code, unknown.json()["error"]) == (422, "zone_query_invalid")


def test_a_staff_session_needs_the_officer_role(node: Node) -> None:
    from podium.accreditation import submit  # noqa: PLC0415

    staff = Principal(
        operator_id="op_000000000001",
        username="desk",
        display_name="Desk",
        roles=frozenset({"vetting-officer"}),
        purposes=frozenset(),
        region=Region.EU_EEA,
        scopes=None,
        organisation="PARIS2024",
    )
    settings = node.client.app.state.settings  # type: ignore[attr-defined]
    desk = open_desk(settings, node.planes, node.client.app.state.spine)  # type: ignore[attr-defined]
    with pytest.raises(PermissionDeniedError) as caught:
        submit(desk, staff, [node.first("FRA")])
    assert caught.value.code == "role_missing"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/zones/check"),
        ("GET", "/api/accreditation/keys"),
        ("GET", "/api/accreditation/revocations"),
        ("POST", "/api/accreditation/revocations/publish"),
        ("GET", "/api/accreditation/devices/STA/package"),
        ("GET", "/api/accreditation/applications/1"),
        ("POST", "/api/accreditation/applications/1/steps"),
        ("POST", "/api/accreditation/vetting"),
    ],
)
def test_every_accreditation_route_needs_an_operator(
    imported: tuple[Planes, ImportReport, Path], method: str, path: str
) -> None:
    planes, _, data_dir = imported
    settings = Settings(data_dir=data_dir, secure_cookies=False)
    spine = open_spine(settings)
    with TestClient(create_app(settings, planes, spine)) as client:
        response = client.request(method, path, json={} if method == "POST" else None)
    spine.close()
    assert response.status_code == 401


def test_a_key_rotated_while_the_node_runs_signs_the_next_card_and_verifies(node: Node) -> None:
    before = _printed_card(node, node.first("USA"))  # the node's desk is open from here
    settings = node.client.app.state.settings  # type: ignore[attr-defined]
    rotated = CliRunner().invoke(
        cli_app, ["--data-dir", str(settings.data_dir), "accreditation", "rotate-keys"]
    )
    assert rotated.exit_code == 0, rotated.output
    new_kid = rotated.output.split()[-1]
    after = _printed_card(node, node.first("FRA"))
    kids = [decode(from_text(card)).credential.key_id.hex() for card in (before, after)]
    assert kids[1] == new_kid != kids[0]
    gate = node.auth("sta-gate")
    assert new_kid in node.client.get("/api/accreditation/keys", headers=gate).json()
    for card in (before, after):
        scan = {"code": card, "venue": "STA", "zone": "1", "at": IN_GAMES}
        answer = node.client.post("/api/zones/check", json=scan, headers=gate).json()
        assert answer["reason"] == "admitted", answer
