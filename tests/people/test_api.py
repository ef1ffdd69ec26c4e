"""The people API on SQLite and PostgreSQL: register, bulk, photo, search, scope and 403s."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from podium.accreditation import save_organisation
from podium.api import create_app
from podium.privacy.operators import create_operator, issue_token
from tests.people.conftest import Node, csv_text, person
from tests.people.images import PORTRAIT_JPEG, PORTRAIT_PNG, image_bytes


class Api:
    """A client of the node's app, an organisation and its operators' headers."""

    def __init__(self, client: TestClient, org: str, headers: dict[str, dict[str, str]]) -> None:
        self.client, self.org, self.headers = client, org, headers


def _operator(node: Node, username: str, org: str, role: str, scopes: list[str]) -> dict[str, str]:
    with node.planes.sovereign_session() as session:
        create_operator(
            session,
            username=username,
            display_name=username,
            home_country="FR",
            organisation=org,
            roles=[role],
            purposes=["accreditation"],
            known_roles=node.spine.pdp.roles,
            known_purposes=node.spine.pdp.purposes,
        )
        token = issue_token(session, username, scopes, lifetime=timedelta(days=1))
    return {"Authorization": f"Bearer {token}", "X-Podium-Purpose": "accreditation"}


@pytest.fixture(scope="module")
def api(node: Node) -> Iterator[Api]:
    tag = uuid.uuid4().hex[:5]
    org, other = f"N{tag.upper()}", f"O{tag.upper()}"
    with node.planes.games_session() as games:
        save_organisation(games, org, "API test NOC", "noc")
        save_organisation(games, other, "Another NOC", "noc")
    write = ["people:registration:write"]
    headers = {
        "registrar": _operator(node, f"reg-{tag}", org, "organisation-registrar", write),
        "other": _operator(node, f"oth-{tag}", other, "organisation-registrar", write),
        "reader": _operator(
            node, f"rd-{tag}", org, "organisation-registrar", ["people:person:read"]
        ),
    }
    with TestClient(create_app(node.settings, node.planes, node.spine)) as client:
        yield Api(client, org, headers)


def test_post_person_registers_and_answers_the_accreditation(api: Api) -> None:
    response = api.client.post(
        "/api/people", json=person("W1", api.org), headers=api.headers["registrar"]
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["created"]) == ("applied", True)
    assert len(body["subject_id"]) == 32


def test_post_person_refusal_names_each_field(api: Api) -> None:
    values = person("W2", api.org, gender="F", document_expiry="2001-01-01")
    response = api.client.post("/api/people", json=values, headers=api.headers["registrar"])
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "bad_value"
    assert [(p["field"], p["code"]) for p in body["problems"]] == [("gender", "bad_value")]


def test_another_organisations_operator_gets_403(api: Api) -> None:
    response = api.client.post(
        "/api/people", json=person("W3", api.org), headers=api.headers["other"]
    )
    assert response.status_code == 403
    assert response.json()["error"] == "organisation_mismatch"


def test_writes_need_the_registration_scope(api: Api) -> None:
    response = api.client.post(
        "/api/people", json=person("W4", api.org), headers=api.headers["reader"]
    )
    assert response.status_code == 403
    assert response.json()["error"] == "scope_missing"
    assert api.client.post("/api/people", json=person("W4", api.org)).status_code == 401


def test_bulk_csv_upload_answers_the_report(api: Api) -> None:
    text = csv_text([person("K1", api.org), person("K2", api.org, birth_date="1999-13-01")])
    response = api.client.post(
        "/api/people/bulk",
        params={"organisation": api.org},
        files={"file": ("people.csv", text.encode(), "text/csv")},
        headers=api.headers["registrar"],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["source"], body["received"], body["written"]) == ("people.csv", 2, 1)
    assert [(r["line"], r["column"], r["code"]) for r in body["rejected"]] == [
        (3, "birth_date", "bad_date")
    ]


def test_bulk_json_list_in_strict_mode_writes_nothing(api: Api) -> None:
    items = [person("L1", api.org), person("L2", api.org, category="ZZ")]
    response = api.client.post(
        "/api/people/bulk",
        params={"strict": "true"},
        json=items,
        headers=api.headers["registrar"],
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "import_rejected"
    assert body["report"]["written"] == 0
    assert [(r["line"], r["code"]) for r in body["report"]["rejected"]] == [(2, "unknown_category")]


def test_photo_upload_checks_the_real_format(api: Api) -> None:
    created = api.client.post(
        "/api/people", json=person("F1", api.org), headers=api.headers["registrar"]
    ).json()
    url = f"/api/people/{created['subject_id']}/photo"
    renamed = {"photo": ("portrait.jpg", PORTRAIT_PNG, "image/jpeg")}
    response = api.client.put(url, files=renamed, headers=api.headers["registrar"])
    assert response.status_code == 200, response.text
    assert response.json()["media_type"] == "image/png"
    small = {"photo": ("small.jpg", image_bytes(100, 130), "image/jpeg")}
    response = api.client.put(url, files=small, headers=api.headers["registrar"])
    assert (response.status_code, response.json()["error"]) == (422, "photo_dimensions")
    response = api.client.put(
        url, files={"photo": ("p.jpg", PORTRAIT_JPEG, "image/jpeg")}, headers=api.headers["other"]
    )
    assert (response.status_code, response.json()["error"]) == (403, "organisation_mismatch")


def test_search_shows_own_people_only_through_the_policy(api: Api) -> None:
    api.client.post(
        "/api/people",
        json=person("H1", api.org, family_name="Haddad"),
        headers=api.headers["registrar"],
    )
    response = api.client.get(
        "/api/people/search", params={"q": "HADDAD"}, headers=api.headers["registrar"]
    )
    assert response.status_code == 200, response.text
    (found,) = response.json()
    assert found["fields"]["family_name"] == {
        "value": "Haddad", "effect": "allow", "reason": "eu-role-purpose",
    }  # fmt: skip
    response = api.client.get(
        "/api/people/search", params={"q": "Haddad"}, headers=api.headers["other"]
    )
    assert response.json() == []
    assert api.client.get("/api/people/search", params={"q": "Haddad"}).status_code == 401
