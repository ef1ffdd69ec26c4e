"""The request register: Art. 12(3) deadlines, extension, overdue, completion by action."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from podium.people import Person
from podium.subjects import (
    Completion,
    RequestStateError,
    complete_request,
    due_date,
    extend_request,
    extended_date,
    list_requests,
    register_request,
)
from tests.subjects.conftest import Node, medallist


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2024, 1, 31), date(2024, 2, 29)),
        (date(2025, 4, 30), date(2025, 5, 30)),
        (date(2025, 3, 31), date(2025, 4, 30)),
        (date(2025, 12, 15), date(2026, 1, 15)),
    ],
)
def test_the_deadline_is_the_same_date_next_month_or_its_last_day(
    received: date, due: date
) -> None:
    assert due_date(received) == due


def test_an_extension_adds_two_further_months() -> None:
    assert extended_date(date(2025, 1, 31)) == date(2025, 4, 30)
    assert extended_date(date(2025, 11, 30)) == date(2026, 2, 28)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_register_extend_and_overdue_against_an_injected_clock(node: Node) -> None:
    code = medallist(node.planes)
    request = register_request(
        node.planes, node.spine, code, "access", clock=lambda: at(date(2026, 1, 31))
    )
    assert request.id == "DSR-000001"
    assert request.deadline == date(2026, 2, 28)
    (seen,) = list_requests(node.planes, date(2026, 2, 28), open_only=True)
    assert (seen.days_left, seen.overdue) == (0, False)
    (late,) = list_requests(node.planes, date(2026, 3, 1))
    assert (late.days_left, late.overdue) == (-1, True)
    extended = extend_request(
        node.planes,
        node.spine,
        request.id,
        "many requests at once",
        clock=lambda: at(date(2026, 2, 20)),
    )
    assert extended.deadline == date(2026, 4, 30)
    with pytest.raises(RequestStateError) as caught:
        extend_request(node.planes, node.spine, request.id, "again")
    assert caught.value.code == "request_extended"
    (after,) = list_requests(node.planes, date(2026, 3, 1))
    assert not after.overdue
    second = register_request(node.planes, node.spine, code, "objection")
    assert second.id == "DSR-000002"


def test_an_unknown_kind_is_refused(node: Node) -> None:
    with pytest.raises(RequestStateError) as caught:
        register_request(node.planes, node.spine, medallist(node.planes), "deletion")
    assert caught.value.code == "request_kind_unknown"


def test_completing_an_erasure_request_runs_the_erasure(node: Node) -> None:
    code = medallist(node.planes)
    request = register_request(node.planes, node.spine, code, "erasure")
    done = complete_request(node.planes, node.spine, request.id, Completion(run=True))
    assert done.status == "completed"
    assert done.outcome is not None
    assert "keys destroyed" in done.outcome
    with node.planes.sovereign_session() as sov:
        assert sov.get(Person, request.subject_id) is None
    with pytest.raises(RequestStateError) as caught:
        complete_request(node.planes, node.spine, request.id)
    assert caught.value.code == "request_not_open"


def test_completing_an_access_request_writes_the_export(node: Node, tmp_path: Path) -> None:
    request = register_request(node.planes, node.spine, medallist(node.planes), "portability")
    done = complete_request(
        node.planes, node.spine, request.id, Completion(run=True, outdir=tmp_path)
    )
    assert done.outcome is not None
    assert f"subject-{request.subject_id}.json" in done.outcome
    assert (tmp_path / f"subject-{request.subject_id}.html").exists()
