"""Operators and authentication over the API: tokens, scopes, purposes, the admin routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from podium.api import create_app
from podium.core.db import Planes
from podium.core.errors import AuthenticationError, InvalidInputError
from podium.core.settings import Settings
from podium.people import Participant
from podium.privacy.audit import AuditRecord
from podium.privacy.operators import (
    authenticate_password,
    authenticate_token,
    create_operator,
    issue_token,
    scope_allows,
)
from podium.privacy.spine import Spine
from tests.operators import PASSWORD, TestOperator


@pytest.fixture(scope="module")
def client(node_settings: Settings, planes: Planes, spine: Spine) -> Iterator[TestClient]:
    with TestClient(create_app(node_settings, planes, spine)) as test_client:
        yield test_client


def _as(operator: TestOperator, purpose: str | None = None) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {operator.token}",
        "X-Podium-Purpose": purpose or operator.purpose,
    }


@pytest.fixture(scope="module")
def athlete(planes: Planes) -> str:
    with planes.games_session() as games:
        code = games.scalar(
            select(Participant.code).where(Participant.role == "athlete").order_by(Participant.code)
        )
    assert code is not None
    return code


def test_me_needs_a_token_and_says_who_and_where(
    client: TestClient, operators: dict[str, TestOperator]
) -> None:
    anonymous = client.get("/api/me")
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert anonymous.json()["error"] == "not_authenticated"
    me = client.get("/api/me", headers=_as(operators["us-support"])).json()
    assert me["username"] == "us-support"
    assert me["region"] == "adequacy"  # the United States, EU-US Data Privacy Framework
    assert me["purpose"] == "operations"


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer pdm_0000000000000000_" + "A" * 43],
)
def test_bad_credentials_are_refused(client: TestClient, header: str) -> None:
    response = client.get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_a_wrong_secret_for_a_real_token_id_is_refused(
    client: TestClient, operators: dict[str, TestOperator]
) -> None:
    token = operators["eu-dpo"].token
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert client.get("/api/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_tokens_are_stored_only_as_argon2_hashes(
    planes: Planes, operators: dict[str, TestOperator]
) -> None:
    from podium.privacy.operators import ApiToken  # noqa: PLC0415

    with planes.sovereign_session() as session:
        hashes = list(session.scalars(select(ApiToken.secret_hash)))
    secrets = [o.token.split("_", 2)[2] for o in operators.values()]  # pdm_<hex id>_<secret>
    assert all(len(s) == 43 for s in secrets)  # 32 random bytes, base64url
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(s in h for s in secrets for h in hashes)


def test_a_missing_scope_is_forbidden(client: TestClient, planes: Planes, spine: Spine) -> None:
    with planes.sovereign_session() as session:
        create_operator(
            session,
            username="scoped-reader",
            display_name="Scoped",
            home_country="FR",
            organisation="PARIS2024",
            roles=["accreditation-officer"],
            purposes=["accreditation"],
            known_roles=spine.pdp.roles,
            known_purposes=spine.pdp.purposes,
        )
        token = issue_token(session, "scoped-reader", ["privacy:operator:read"])
    response = client.get(
        "/api/people/1532872/personal",
        headers={"Authorization": f"Bearer {token}", "X-Podium-Purpose": "accreditation"},
    )
    assert response.status_code == 403
    assert response.json()["error"] == "scope_missing"


def test_the_right_eu_operator_reads_a_birth_date_and_the_read_is_audited(
    client: TestClient, planes: Planes, operators: dict[str, TestOperator], athlete: str
) -> None:
    response = client.get(
        f"/api/people/{athlete}/personal", headers=_as(operators["eu-accreditation"])
    )
    assert response.status_code == 200
    body = response.json()
    assert body["fields"]["birth_date"]["effect"] == "allow"
    assert len(body["fields"]["birth_date"]["value"]) == 10  # ISO date
    with planes.sovereign_session() as session:
        last = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert last is not None
    assert (last.action, last.subject, last.decision) == (
        "people.person.read",
        body["subject_id"],
        "allow",
    )
    assert last.operator.startswith("op_")


def test_an_undeclared_or_foreign_purpose_gets_nothing(
    client: TestClient, operators: dict[str, TestOperator], athlete: str
) -> None:
    officer = operators["eu-accreditation"]
    headers = {"Authorization": f"Bearer {officer.token}"}
    body = client.get(f"/api/people/{athlete}/personal", headers=headers).json()
    assert {f["reason"] for f in body["fields"].values()} == {"purpose-missing"}
    assert all(f["value"] is None for f in body["fields"].values())
    body = client.get(f"/api/people/{athlete}/personal", headers=_as(officer, "ticketing")).json()
    assert {f["reason"] for f in body["fields"].values()} == {"purpose-not-permitted"}


def test_outside_the_eu_the_name_is_a_pseudonym_and_the_birth_date_withheld(
    client: TestClient, operators: dict[str, TestOperator], athlete: str
) -> None:
    body = client.get(
        f"/api/people/{athlete}/personal", headers=_as(operators["us-support"])
    ).json()
    assert body["fields"]["full_name"]["effect"] == "pseudonymise"
    assert body["fields"]["full_name"]["value"].startswith("pseudonym:")
    assert body["fields"]["birth_date"] == {"value": None, "effect": "deny", "reason": "no-rule"}


def test_only_an_eu_admin_with_purpose_security_manages_operators(
    client: TestClient, operators: dict[str, TestOperator]
) -> None:
    listed = client.get("/api/operators", headers=_as(operators["eu-admin"]))
    assert listed.status_code == 200
    assert "password_hash" not in listed.text
    assert {"eu-admin", "us-support"} <= {o["username"] for o in listed.json()}
    for name in ("eu-dpo", "in-everything", "ch-everything"):
        denied = client.get("/api/operators", headers=_as(operators[name], "security"))
        assert denied.status_code == 403, name
        assert denied.json()["error"] == "policy_denied"


def test_an_admin_creates_and_disables_an_operator_whose_token_then_fails(
    client: TestClient, planes: Planes, operators: dict[str, TestOperator]
) -> None:
    admin = _as(operators["eu-admin"])
    created = client.post(
        "/api/operators",
        headers=admin,
        json={
            "username": "temp-vetting",
            "display_name": "Temporary vetting officer",
            "home_country": "be",
            "organisation": "MININT",
            "roles": ["vetting-officer"],
            "purposes": ["vetting"],
            "password": PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    assert created.json()["region"] == "eu-eea"
    assert created.json()["home_country"] == "BE"
    with planes.sovereign_session() as session:
        token = issue_token(session, "temp-vetting", ["people:person:read"])
    me = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=me).status_code == 200
    assert client.post("/api/operators/temp-vetting/disable", headers=admin).status_code == 200
    assert client.get("/api/me", headers=me).status_code == 401
    with planes.sovereign_session() as session, pytest.raises(AuthenticationError):
        authenticate_password(session, "temp-vetting", PASSWORD)


def test_operator_creation_refuses_unknown_roles_purposes_and_countries(
    client: TestClient, operators: dict[str, TestOperator]
) -> None:
    base = {
        "username": "bad-one",
        "display_name": "Bad",
        "home_country": "FR",
        "organisation": "X",
        "roles": ["admin"],
        "purposes": ["security"],
    }
    for change, code in (
        ({"roles": ["emperor"]}, "roles_unknown"),
        ({"purposes": ["curiosity"]}, "purposes_unknown"),
        ({"home_country": "ZZ"}, "country_unknown"),
        ({"username": "Bad One!"}, "username_invalid"),
    ):
        response = client.post(
            "/api/operators", headers=_as(operators["eu-admin"]), json=base | change
        )
        assert response.status_code == 422, change
        assert response.json()["error"] == code


def test_passwords_and_scopes(planes: Planes, spine: Spine) -> None:
    with planes.sovereign_session() as session:
        with pytest.raises(InvalidInputError) as short:
            create_operator(
                session,
                username="shorty",
                display_name="S",
                home_country="FR",
                organisation="X",
                roles=["admin"],
                purposes=["security"],
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password="short",  # noqa: S106 - the point of the test
            )
        assert short.value.code == "password_too_short"
        with pytest.raises(InvalidInputError) as bad_scope:
            issue_token(session, "eu-admin", ["people:person:destroy"])
        assert bad_scope.value.code == "scope_invalid"
        with pytest.raises(AuthenticationError):
            authenticate_password(session, "eu-admin", "wrong password here")
        assert authenticate_password(session, "eu-admin", PASSWORD).username == "eu-admin"
    assert scope_allows({"people:person:*"}, "people:person:read")
    assert not scope_allows({"people:person:read"}, "people:person:write")


def test_an_expired_token_is_refused(planes: Planes) -> None:
    from datetime import timedelta  # noqa: PLC0415

    with planes.sovereign_session() as session:
        token = issue_token(session, "eu-dpo", ["people:person:read"], lifetime=timedelta(0))
    with planes.sovereign_session() as session, pytest.raises(AuthenticationError, match="expired"):
        authenticate_token(session, token)
