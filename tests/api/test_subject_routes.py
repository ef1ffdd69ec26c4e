"""The DPO's API: subject export and the requests register, EU DPO only, denials audited."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.people import Participant
from podium.privacy.audit import AuditRecord
from podium.privacy.spine import Spine
from podium.subjects import register_request
from tests.operators import TestOperator


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
def athlete(planes: Planes) -> Participant:
    with planes.games_session() as games:
        participant = games.scalars(
            select(Participant).where(Participant.role == "athlete").order_by(Participant.code)
        ).first()
    assert participant is not None
    return participant


def test_the_eu_dpo_exports_a_subject(
    client: TestClient, operators: dict[str, TestOperator], athlete: Participant
) -> None:
    response = client.get(f"/api/subjects/{athlete.code}/export", headers=_as(operators["eu-dpo"]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["format"] == "podium.subject-export.v1"
    assert body["subject_id"] == athlete.subject_id
    assert athlete.printed_name in response.text


@pytest.mark.parametrize("name", ["in-everything", "ch-everything", "us-support", "eu-admin"])
def test_anyone_else_is_refused_and_the_refusal_is_audited(
    client: TestClient,
    planes: Planes,
    operators: dict[str, TestOperator],
    athlete: Participant,
    name: str,
) -> None:
    operator = operators[name]
    purpose = "data-subject-rights" if name.endswith("everything") else operator.purpose
    response = client.get(f"/api/subjects/{athlete.code}/export", headers=_as(operator, purpose))
    assert response.status_code == 403
    assert response.json()["error"] == "policy_denied"
    with planes.sovereign_session() as session:
        last = session.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
    assert last is not None
    assert (last.action, last.decision, last.purpose) == (
        "subjects.subject.export",
        "deny",
        purpose,
    )


def test_the_requests_register_lists_deadlines(
    client: TestClient,
    planes: Planes,
    spine: Spine,
    operators: dict[str, TestOperator],
    athlete: Participant,
) -> None:
    request_id = register_request(planes, spine, athlete.code, "access", operator="tests").id
    listed = client.get("/api/subject-requests?open_only=true", headers=_as(operators["eu-dpo"]))
    assert listed.status_code == 200
    mine = next(r for r in listed.json() if r["id"] == request_id)
    assert mine["kind"] == "access"
    assert mine["status"] == "open"
    assert mine["overdue"] is False
    assert 27 <= mine["days_left"] <= 31
    refused = client.get("/api/subject-requests", headers=_as(operators["us-support"]))
    assert refused.status_code == 403
