"""The entries API: published lists, start lists and ODF are public; writes need a token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from podium.core.db import Planes
from podium.odf import validate_message
from podium.paris2024 import ImportReport
from tests.entries.node import EntriesNode, entries_node


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EntriesNode]:
    with entries_node(imported[2], tmp_path_factory.mktemp("entries-api")) as made:
        yield made


@pytest.fixture(scope="module")
def client(node: EntriesNode) -> Iterator[TestClient]:
    with TestClient(node.app) as test_client:
        yield test_client


def auth(node: EntriesNode, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {node.tokens[username]}"}


def test_an_events_entries_and_start_list_are_public(client: TestClient) -> None:
    listed = client.get("/api/events/JUDM60KG/entries").json()
    assert len(listed) == len({e["noc"] for e in listed})  # one judoka per NOC
    assert {"FRA", "JPN"} <= {e["noc"] for e in listed}
    start = client.get("/api/events/JUDM60KG/start-list").json()
    assert sorted(line["code"] for line in start["lines"]) == sorted(
        e["participant_code"] for e in listed
    )
    unknown = client.get("/api/events/NOPE/entries")
    assert unknown.status_code == 422
    assert unknown.json()["error"] == "unknown_event"


@pytest.mark.parametrize(
    ("document_type", "code"),
    [
        ("DT_PARTIC", "JUD"),
        ("DT_PARTIC_TEAMS", "BK3"),
        ("DT_PARTIC_TEAMS", "EQU"),
        ("DT_ENTRIES", "BK3WTEAM3"),
        ("DT_ENTRIES", "EQUOJUMPINDV"),
        ("DT_ENTRIES", "JUDXTEAM6"),
    ],
)
def test_entries_odf_messages_validate_against_the_schema(
    client: TestClient, document_type: str, code: str
) -> None:
    response = client.get(f"/odf/entries/{document_type}/{code}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    assert [str(e) for e in validate_message(response.content)] == []
    assert f'DocumentType="{document_type}"'.encode() in response.content
    assert b"BirthDate" not in response.content


def test_a_team_entry_lists_its_members_in_dt_entries(client: TestClient) -> None:
    xml = client.get("/odf/entries/DT_ENTRIES/BK3WTEAM3").text
    assert xml.count('<Entry Code="BK3WTEAM3---') == 8
    assert xml.count("<Athlete ") == 32
    missing = client.get("/odf/entries/DT_PARTIC_TEAMS/BOX")
    assert missing.status_code == 404
    assert missing.json()["error"] == "entries_not_found"


def test_writes_and_the_full_list_need_an_operator(client: TestClient) -> None:
    assert client.get("/api/entries").status_code == 401
    body = {"noc": "FRA", "event": "JUDM60KG", "participant_code": "1"}
    assert client.post("/api/entries", json=body).status_code == 401


def test_a_noc_enters_within_its_quota_and_is_refused_past_it(
    client: TestClient, node: EntriesNode
) -> None:
    fra = auth(node, "fra-entries")
    judo = client.get("/api/events/JUDM60KG/entries", params={"noc": "FRA"}).json()
    other = client.get("/api/events/JUDM66KG/entries", params={"noc": "FRA"}).json()
    body = {"noc": "FRA", "event": "JUDM60KG", "participant_code": other[0]["participant_code"]}
    refused = client.post("/api/entries", json=body, headers=fra)
    assert refused.status_code == 422
    assert refused.json()["error"] == "quota_event"
    assert "quota is 1 per NOC" in refused.json()["detail"]
    withdrawn = client.post(
        "/api/entries/withdraw", json={"entry_id": judo[0]["id"], "reason": "injury"}, headers=fra
    )
    assert withdrawn.json()["status"] == "withdrawn"
    made = client.post("/api/entries", json=body, headers=fra)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "entered"
    history = client.get("/api/entries", params={"event": "JUDM60KG", "noc": "FRA"}, headers=fra)
    assert [e["status"] for e in history.json()] == ["withdrawn", "entered"]


def test_a_noc_operator_may_not_act_for_another_noc(client: TestClient, node: EntriesNode) -> None:
    italian = client.get("/api/events/JUDM73KG/entries", params={"noc": "ITA"}).json()[0]
    refused = client.post(
        "/api/entries/withdraw", json={"entry_id": italian["id"]}, headers=auth(node, "fra-entries")
    )
    assert refused.status_code == 403
    assert refused.json()["error"] == "organisation_mismatch"
    replaced = client.post(
        "/api/entries/replace",
        json={"entry_id": italian["id"], "participant_code": italian["participant_code"]},
        headers=auth(node, "ocog-entries"),
    )
    assert replaced.status_code == 422
    assert replaced.json()["error"] == "duplicate_entry"
