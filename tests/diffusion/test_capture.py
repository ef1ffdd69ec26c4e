"""Results capture: transitions, exact refusals that change nothing, and who may write."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from podium.api import create_app
from podium.core.db import Planes, open_planes
from podium.core.errors import InvalidInputError, NotFoundError
from podium.core.settings import Settings
from podium.diffusion.capture import UnitUpdate, capture
from podium.diffusion.models import FeedOutbox
from podium.games import Unit
from podium.odf import InvalidTransitionError
from podium.privacy.operators import issue_token
from podium.privacy.spine import open_spine
from podium.results import MedalRecord, UnitResult
from tests.diffusion.live import NOW, WALK, apply, real_lines, reset_unit, start_list
from tests.operators import TestOperator


def _state(planes: Planes) -> tuple[Any, ...]:
    """Everything a capture of the walk final could change."""
    with planes.games_session() as session:
        unit = session.get(Unit, WALK)
        assert unit is not None
        rows = session.execute(
            select(UnitResult.competitor_code, UnitResult.rank, UnitResult.result)
            .where(UnitResult.unit_rsc == WALK)
            .order_by(UnitResult.sort_order)
        ).all()
        medals = session.scalar(select(func.count()).select_from(MedalRecord))
        outbox = session.scalar(select(func.count()).select_from(FeedOutbox))
        return unit.status, unit.result_status, unit.note, tuple(rows), medals, outbox


def _bad_updates(planes: Planes) -> list[tuple[dict[str, Any], str, str]]:
    lines = [line.model_dump() for line in real_lines(planes, WALK)]
    unknown_noc = [dict(line) for line in lines]
    unknown_noc[2]["noc"] = "XYZ"
    twice = [*lines, dict(lines[0])]
    bad_irm = [dict(line) for line in lines]
    bad_irm[5]["irm"] = "LATE"
    return [
        ({"results": unknown_noc}, "unknown_noc", "results[2].noc"),
        ({"results": twice}, "duplicate_competitor", f"results[{len(lines)}].competitor_code"),
        ({"results": bad_irm}, "unknown_irm", "results[5].irm"),
        ({"result_status": "START_LIST"}, "result_status_transition", "START_LIST"),
        ({"schedule_status": "GETTING_READY"}, "schedule_status_transition", "GETTING_READY"),
        ({"results": lines}, "note_required", "note"),
        (
            {
                "result_status": "OFFICIAL",
                "note": "medal table corrected",
                "medals": [{"competitor_code": "0", "medal": "GOLD"}],
            },
            "medallist_not_in_unit",
            "medals[0].competitor_code",
        ),
    ]


def test_a_malformed_submission_is_refused_exactly_and_changes_nothing(
    live_planes: Planes,
) -> None:
    # The imported walk final is FINISHED and OFFICIAL: every update below is refused.
    with live_planes.games_session() as session:
        unit = session.get(Unit, WALK)
        assert unit is not None
        unit.result_status = "OFFICIAL"
    before = _state(live_planes)
    for body, code, where in _bad_updates(live_planes):
        update = UnitUpdate.model_validate(body)
        with pytest.raises(InvalidInputError) as refused, live_planes.games_session() as session:
            capture(session, WALK, update, NOW)
        assert refused.value.code == code
        assert where in str(refused.value)
        assert _state(live_planes) == before, code


def test_impossible_transitions_name_what_is_allowed(live_planes: Planes) -> None:
    reset_unit(live_planes, WALK)
    lines = real_lines(live_planes, WALK)
    apply(live_planes, WALK, UnitUpdate(result_status="START_LIST", results=start_list(lines)))
    apply(live_planes, WALK, UnitUpdate(result_status="LIVE", schedule_status="RUNNING"))
    with pytest.raises(InvalidTransitionError) as refused:
        apply(live_planes, WALK, UnitUpdate(result_status="START_LIST"))
    assert refused.value.code == "result_status_transition"
    assert "UNOFFICIAL" in str(refused.value)  # the allowed next statuses are listed
    with pytest.raises(InvalidTransitionError) as refused:
        apply(live_planes, WALK, UnitUpdate(schedule_status="SCHEDULED"))
    assert refused.value.code == "schedule_status_transition"
    with pytest.raises(NotFoundError) as missing:
        apply(live_planes, "ATHM20KMWALK----------FNL-000900--", UnitUpdate(result_status="LIVE"))
    assert missing.value.code == "unit_not_found"


def test_a_correction_after_official_carries_its_note_in_the_message(live_planes: Planes) -> None:
    from tests.diffusion.live import engine  # noqa: PLC0415

    with live_planes.games_session() as session:
        unit = session.get(Unit, WALK)
        assert unit is not None
        unit.result_status = "OFFICIAL"
    lines = real_lines(live_planes, WALK)
    lines[0], lines[1] = lines[0].model_copy(update={"result": "1:19:00"}), lines[1]
    apply(live_planes, WALK, UnitUpdate(results=lines, note="Timing correction, jury decision 12"))
    [message] = [e for e in engine(live_planes).pump().events if e.document_type == "DT_RESULT"]
    assert b"<Note>Timing correction, jury decision 12</Note>" in message.content
    assert message.result_status == "OFFICIAL"


@pytest.fixture
def client(
    operators: dict[str, TestOperator], sqlite_settings: Settings
) -> Iterator[tuple[TestClient, Planes, dict[str, str]]]:
    """An app over a private SQLite copy, and tokens: ATH results only, swimming only."""
    planes = open_planes(sqlite_settings)
    spine = open_spine(sqlite_settings)
    with planes.sovereign_session() as session:
        tokens = {
            "ath": issue_token(session, "eu-admin", ["results:ath:write"], name="ath"),
            "swm": issue_token(session, "eu-admin", ["results:swm:write"], name="swm"),
            "all": issue_token(session, "eu-admin", ["results:unit:write"], name="all"),
        }
    with TestClient(create_app(sqlite_settings, planes, spine)) as test_client:
        yield test_client, planes, tokens
    spine.close()
    planes.dispose()


def _post(client: TestClient, token: str | None, body: dict[str, Any]) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/units/{WALK}/live", json=body, headers=headers)


def test_only_the_disciplines_results_permission_may_write(
    client: tuple[TestClient, Planes, dict[str, str]],
) -> None:
    test_client, planes, tokens = client
    reset_unit(planes, WALK)
    body = {"schedule_status": "GETTING_READY"}
    assert _post(test_client, None, body).status_code == 401
    refused = _post(test_client, tokens["swm"], body)
    assert refused.status_code == 403
    assert refused.json()["error"] == "results_permission_missing"
    accepted = _post(test_client, tokens["ath"], body)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["schedule_status"] == "GETTING_READY"
    assert accepted.json()["documents"] == ["DT_SCHEDULE_UPDATE ATH-------------------------------"]
    again = _post(test_client, tokens["all"], {"schedule_status": "RUNNING"})
    assert again.status_code == 200


def test_the_api_refuses_bad_submissions_with_the_field_and_code(
    client: tuple[TestClient, Planes, dict[str, str]],
) -> None:
    test_client, planes, tokens = client
    with planes.games_session() as session:
        unit = session.get(Unit, WALK)
        assert unit is not None
        unit.result_status = "OFFICIAL"
    before = _state(planes)
    for body, code, where in _bad_updates(planes):
        response = _post(test_client, tokens["ath"], body)
        assert response.status_code == 422, (code, response.text)
        assert response.json()["error"] == code
        assert where in response.json()["detail"]
    lines = [line.model_dump() for line in real_lines(planes, WALK)]
    lines[3]["rank"] = 0
    response = _post(test_client, tokens["ath"], {"results": lines, "note": "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["where"] == "body.results.3.rank"
    response = _post(test_client, tokens["ath"], {"result_status": "FINAL"})
    assert response.status_code == 422
    assert _state(planes) == before
