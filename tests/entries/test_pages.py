"""The staff entries pages: NOC scoping, CSRF, quota usage, refusals shown, EN and FR."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from podium.core.db import Planes
from podium.paris2024 import ImportReport
from tests.entries.node import EntriesNode, entries_node

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="module")
def node(
    imported: tuple[Planes, ImportReport, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EntriesNode]:
    with entries_node(imported[2], tmp_path_factory.mktemp("entries-pages")) as made:
        yield made


def signed_in(node: EntriesNode, username: str) -> tuple[TestClient, str]:
    client = TestClient(node.app, follow_redirects=False)
    client.__enter__()
    response = client.post(
        "/staff/login", data={"username": username, "password": node.password, "purpose": ""}
    )
    assert response.status_code == 303, response.text
    page = client.get("/staff/entries")
    match = CSRF.search(page.text)
    assert match is not None
    return client, match.group(1)


@pytest.fixture(scope="module")
def fra(node: EntriesNode) -> Iterator[tuple[TestClient, str]]:
    client, csrf = signed_in(node, "fra-entries")
    yield client, csrf
    client.__exit__(None, None, None)


def test_the_public_is_sent_to_sign_in(node: EntriesNode) -> None:
    with TestClient(node.app, follow_redirects=False) as client:
        response = client.get("/staff/entries")
    assert response.status_code in {302, 303, 307}
    assert response.headers["location"].startswith("/staff/login")


def test_a_noc_sees_only_its_own_quota_usage(fra: tuple[TestClient, str]) -> None:
    client, _ = fra
    page = client.get("/staff/entries", params={"noc": "ITA"})
    assert page.status_code == 200
    assert "Sport entries · FRA" in page.text
    assert "Quota usage of FRA" in page.text
    assert "JUDM60KG" in page.text


def test_a_refused_entry_shows_its_reason_linked_to_the_field(
    fra: tuple[TestClient, str],
) -> None:
    client, csrf = fra
    other = client.get("/api/events/JUDM66KG/entries", params={"noc": "FRA"}).json()[0]
    response = client.post(
        "/staff/entries/enter",
        data={
            "csrf": csrf,
            "noc": "FRA",
            "event": "JUDM60KG",
            "participant_code": other["participant_code"],
        },
    )
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    assert 'href="#f-event"' in response.text
    assert "quota is 1 per NOC in this event (quota_event)" in response.text
    assert 'aria-invalid="true"' in response.text


def test_a_form_without_the_csrf_token_is_refused(fra: tuple[TestClient, str]) -> None:
    client, _ = fra
    response = client.post(
        "/staff/entries/enter", data={"noc": "FRA", "event": "JUDM60KG", "participant_code": "1"}
    )
    assert response.status_code == 403


def test_withdraw_then_enter_through_the_forms(fra: tuple[TestClient, str]) -> None:
    client, csrf = fra
    entry = client.get("/api/events/JUDM81KG/entries", params={"noc": "FRA"}).json()[0]
    withdrawn = client.post(
        "/staff/entries/withdraw",
        data={"csrf": csrf, "entry_id": entry["id"], "reason": "injury", "event": "JUDM81KG"},
    )
    assert withdrawn.status_code == 303
    assert "done=withdrawn" in withdrawn.headers["location"]
    entered = client.post(
        "/staff/entries/enter",
        data={
            "csrf": csrf,
            "noc": "FRA",
            "event": "JUDM81KG",
            "participant_code": entry["participant_code"],
        },
    )
    assert entered.status_code == 303
    shown = client.get(entered.headers["location"])
    assert "The entry was made." in shown.text


def test_the_french_page_and_the_start_list(fra: tuple[TestClient, str]) -> None:
    client, _ = fra
    page = client.get("/staff/fr/entries", params={"event": "JUDM60KG"})
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Inscriptions sportives" in page.text
    start = client.get("/staff/entries/start-list", params={"event": "JUDM60KG"})
    assert start.status_code == 200
    assert "Men -60 kg" in start.text or "JUDM60KG" in start.text
