"""Push consumers: exact refusals that write nothing, queue status, re-send requests, and
the same over the API (tokens, scopes, the key never echoed, audit) and the command line."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from podium.api import create_app
from podium.cli.main import app
from podium.core.db import Planes, open_planes
from podium.core.errors import InvalidInputError, NotFoundError, PodiumError
from podium.core.settings import Settings
from podium.diffusion.consumers import (
    MAX_RESEND,
    ArchiveSearch,
    ConsumerChange,
    ConsumerSpec,
    list_status,
    queue_status,
    register_consumer,
    remove_consumer,
    request_archive_resend,
    request_resend,
    update_consumer,
)
from podium.diffusion.log import FeedEvent
from podium.diffusion.models import FeedConsumer, FeedResend
from podium.migrations import upgrade_all
from podium.privacy.audit import AuditRecord
from podium.privacy.operators import find_operator, issue_token
from podium.privacy.spine import open_spine
from tests.diffusion.live import NOW
from tests.diffusion.test_push import ATH, SWM, Feed
from tests.operators import TestOperator

GOOD = ConsumerSpec("ebu", "https://feeds.ebu.example/odf", "ebu-key-1", "EBU")


def _refusal(planes: Planes, action: Any) -> PodiumError:
    """Run `action(session)` in a transaction that must be refused; return the error."""
    with pytest.raises(PodiumError) as refused, planes.games_session() as session:
        action(session)
    return refused.value


def _consumers(planes: Planes) -> list[str]:
    with planes.games_session() as session:
        return list(session.scalars(select(FeedConsumer.name).order_by(FeedConsumer.name)))


BAD_SPECS = [
    (replace(GOOD, name="E"), "bad_consumer_name", "name"),
    (replace(GOOD, name="-ebu"), "bad_consumer_name", "name"),
    (replace(GOOD, name="ebu!"), "bad_consumer_name", "name"),
    (replace(GOOD, endpoint="ftp://feeds.ebu.example/odf"), "bad_endpoint", "endpoint"),
    (replace(GOOD, endpoint="https:///odf"), "bad_endpoint", "endpoint"),
    (replace(GOOD, endpoint="https://user:pw@feeds.ebu.example/"), "bad_endpoint", "endpoint"),
    (replace(GOOD, endpoint="https://feeds.ebu.example:99999/"), "bad_endpoint", "endpoint"),
    (replace(GOOD, endpoint="https://feeds.ebu.example/a b"), "bad_endpoint", "endpoint"),
    (replace(GOOD, api_key=""), "bad_api_key", "api_key"),
    (replace(GOOD, api_key="two words"), "bad_api_key", "api_key"),
    (replace(GOOD, organisation="x" * 121), "bad_organisation", "organisation"),
    (replace(GOOD, disciplines=("ATH", "ATHL")), "bad_discipline", "disciplines[1]"),
    (replace(GOOD, disciplines=("SWM", "XYZ")), "unknown_discipline", "disciplines[1]"),
    (replace(GOOD, document_types=("RESULT",)), "bad_document_type", "document_types[0]"),
    (replace(GOOD, start_after=-1), "bad_start", "start_after"),
    (replace(GOOD, start_after=10**9), "bad_start", "start_after"),
]


@pytest.mark.parametrize(("spec", "code", "field"), BAD_SPECS)
def test_a_bad_consumer_is_refused_with_its_code_naming_the_field(
    sqlite_settings: Settings, spec: ConsumerSpec, code: str, field: str
) -> None:
    planes = open_planes(sqlite_settings)
    try:
        error = _refusal(planes, lambda s: register_consumer(s, spec))
        assert isinstance(error, InvalidInputError)
        assert error.code == code
        assert str(error).startswith(f"{field}:")
        assert _consumers(planes) == []
    finally:
        planes.dispose()


def test_registration_normalises_codes_and_refuses_a_second_consumer_of_the_same_name(
    live_planes: Planes,
) -> None:
    spec = replace(GOOD, disciplines=("ath", "---", "ATH"), document_types=(" dt_result",))
    with live_planes.games_session() as session:
        row = register_consumer(session, spec)
        assert (row.disciplines, row.document_types) == ("ATH,---", "DT_RESULT")
    error = _refusal(live_planes, lambda s: register_consumer(s, replace(GOOD, api_key="other")))
    assert error.code == "consumer_exists"
    with live_planes.games_session() as session:
        assert session.get(FeedConsumer, "ebu").api_key == "ebu-key-1"  # type: ignore[union-attr]


def test_changes_are_checked_like_registration_and_an_empty_change_is_refused(
    live_planes: Planes,
) -> None:
    with live_planes.games_session() as session:
        register_consumer(session, GOOD)
    for change, code in (
        (ConsumerChange(), "nothing_to_change"),
        (ConsumerChange(endpoint="mailto:ebu@example.org"), "bad_endpoint"),
        (ConsumerChange(disciplines=("SWM", "XXX")), "unknown_discipline"),
    ):
        assert _refusal(live_planes, lambda s, c=change: update_consumer(s, "ebu", c)).code == code
    disable = ConsumerChange(enabled=False)
    missing = _refusal(live_planes, lambda s: update_consumer(s, "bbc", disable))
    assert isinstance(missing, NotFoundError)
    assert missing.code == "consumer_not_found"
    with live_planes.games_session() as session:
        change = ConsumerChange(api_key="ebu-key-2", disciplines=("SWM",), enabled=False)
        update_consumer(session, "ebu", change)
        assert change.changed() == ("api_key", "disciplines", "enabled")
        status = queue_status(session, "ebu")
    assert (status.disciplines, status.enabled, status.api_key_set) == (("SWM",), False, True)
    assert status.endpoint == GOOD.endpoint  # untouched


def test_queue_status_counts_what_is_pending_through_the_filters(live_planes: Planes) -> None:
    feed = Feed(live_planes)
    earlier = feed.at_least(4)
    with live_planes.games_session() as session:
        register_consumer(session, replace(GOOD, name="all-of-it", start_after=0))
        register_consumer(session, replace(GOOD, name="swimming", disciplines=("SWM",)))
        register_consumer(session, replace(GOOD, name="results", document_types=("DT_RESULT",)))
    later = feed.at_least(6)
    with live_planes.games_session() as session:
        statuses = {s.name: s for s in list_status(session)}
    newest = later[-1].seq
    assert {s.newest_seq for s in statuses.values()} == {newest}
    assert statuses["all-of-it"].cursor == 0
    assert statuses["all-of-it"].pending == len(earlier + later)
    assert statuses["swimming"].cursor == earlier[-1].seq  # registered "from now"
    assert statuses["swimming"].pending == sum(e.discipline == "SWM" for e in later)
    assert statuses["results"].pending == sum(e.document_type == "DT_RESULT" for e in later)
    assert all(s.in_flight is None and s.attempts == 0 for s in statuses.values())


def _resend(planes: Planes, seqs: list[int]) -> list[int]:
    with planes.games_session() as session:
        return request_resend(session, "ebu", seqs, "tester", NOW)


def test_resend_requests_are_checked_before_anything_is_queued(live_planes: Planes) -> None:
    events = Feed(live_planes).at_least(4)
    with live_planes.games_session() as session:
        register_consumer(session, GOOD)
    newest = events[-1].seq

    def by_seq(seqs: list[int], by: str = "tester", name: str = "ebu") -> Any:
        return lambda s: request_resend(s, name, seqs, by, NOW)

    def by_search(**fields: Any) -> Any:
        return lambda s: request_archive_resend(s, "ebu", ArchiveSearch(**fields), "t", NOW)

    refusals = [
        (by_seq([]), "no_messages_given"),
        (by_seq([1, 0]), "bad_seq"),
        (by_seq([1, newest + 7]), "message_not_found"),
        (by_seq([1], name="bbc"), "consumer_not_found"),
        (by_seq([1], by=""), "bad_requested_by"),
        (by_seq(list(range(1, MAX_RESEND + 2))), "too_many_messages"),
        (by_search(), "search_empty"),
        (by_search(version=0), "bad_version"),
        (by_search(document_type="X"), "bad_document_type"),
        (by_search(logical_date=date(2024, 7, 1)), "message_not_found"),
    ]
    for action, code in refusals:
        assert _refusal(live_planes, action).code == code
    missing = _refusal(live_planes, refusals[2][0])
    assert f"{newest + 7}" in str(missing)  # the missing one is named
    assert _resends(live_planes) == 0
    assert _resend(live_planes, [events[2].seq, events[0].seq, events[2].seq]) == [
        events[0].seq,
        events[2].seq,
    ]
    assert _resend(live_planes, [events[0].seq]) == [events[0].seq]  # already waiting: once
    assert _resends(live_planes) == 2


def _resends(planes: Planes) -> int:
    with planes.games_session() as session:
        return queue_status(session, "ebu").resends


def test_an_archive_search_queues_every_match_oldest_first(live_planes: Planes) -> None:
    feed = Feed(live_planes)
    events = feed.at_least(8)
    day = next(e.logical_date for e in events if e.document_code == SWM)  # the heat's day
    with live_planes.games_session() as session:
        register_consumer(session, GOOD)
        search = ArchiveSearch(logical_date=day, document_code=SWM)
        queued = request_archive_resend(session, "ebu", search, "tester", NOW)
        one = request_archive_resend(
            session, "ebu", ArchiveSearch(document_code=ATH, version=2), "tester", NOW
        )
    assert queued == [e.seq for e in events if e.document_code == SWM]
    assert one == [e.seq for e in events if e.document_code == ATH and e.version == 2]


def test_removing_a_consumer_removes_its_pending_resends_and_nothing_else(
    live_planes: Planes,
) -> None:
    events = Feed(live_planes).at_least(2)
    with live_planes.games_session() as session:
        register_consumer(session, GOOD)
        register_consumer(session, replace(GOOD, name="bbc"))
        request_resend(session, "ebu", [events[0].seq], "tester", NOW)
        request_resend(session, "bbc", [events[0].seq], "tester", NOW)
    with live_planes.games_session() as session:
        remove_consumer(session, "ebu")
    with live_planes.games_session() as session:
        assert list(session.scalars(select(FeedResend.consumer))) == ["bbc"]
    assert _consumers(live_planes) == ["bbc"]
    assert _refusal(live_planes, lambda s: remove_consumer(s, "ebu")).code == "consumer_not_found"


# --- the API ------------------------------------------------------------------------------


TOKEN_SCOPES = {
    "reader": ["diffusion:consumer:read"],
    "writer": ["diffusion:consumer:read", "diffusion:consumer:write"],
    "resender": ["diffusion:feed:resend"],
    "other": ["people:person:read"],
}


@pytest.fixture
def api(
    operators: dict[str, TestOperator], sqlite_settings: Settings
) -> Iterator[tuple[TestClient, Planes, dict[str, dict[str, str]]]]:
    """An app over a private SQLite copy, and one token per kind of feed administrator."""
    del operators  # created in the imported node before it is copied
    planes = open_planes(sqlite_settings)
    spine = open_spine(sqlite_settings)
    with planes.sovereign_session() as session:
        headers = {
            kind: {"Authorization": f"Bearer {issue_token(session, 'eu-admin', s, name=kind)}"}
            for kind, s in TOKEN_SCOPES.items()
        }
    with TestClient(create_app(sqlite_settings, planes, spine)) as client:
        yield client, planes, headers
    spine.close()
    planes.dispose()


BODY = {
    "name": "ebu",
    "endpoint": "https://feeds.ebu.example/odf",
    "api_key": "s3cret-ebu-key",
    "organisation": "European Broadcasting Union",
    "disciplines": ["ATH"],
}
ROUTES = [
    ("GET", "/api/feed/consumers", None, "diffusion:consumer:read"),
    ("POST", "/api/feed/consumers", BODY, "diffusion:consumer:write"),
    ("GET", "/api/feed/consumers/ebu", None, "diffusion:consumer:read"),
    ("PATCH", "/api/feed/consumers/ebu", {"enabled": False}, "diffusion:consumer:write"),
    ("DELETE", "/api/feed/consumers/ebu", None, "diffusion:consumer:write"),
    ("POST", "/api/feed/consumers/ebu/resend", {"seqs": [1]}, "diffusion:feed:resend"),
]


def test_every_consumer_route_needs_a_token_carrying_its_scope(
    api: tuple[TestClient, Planes, dict[str, dict[str, str]]],
) -> None:
    client, planes, headers = api
    for method, path, body, scope in ROUTES:
        anonymous = client.request(method, path, json=body)
        assert (anonymous.status_code, anonymous.json()["error"]) == (401, "not_authenticated")
        lacking = [kind for kind, scopes in TOKEN_SCOPES.items() if scope not in scopes]
        assert lacking
        for kind in lacking:
            refused = client.request(method, path, json=body, headers=headers[kind])
            assert refused.status_code == 403, (method, path, kind)
            assert refused.json()["error"] == "scope_missing"
    assert _consumers(planes) == []


def test_the_consumer_api_manages_consumers_and_never_returns_the_key(
    api: tuple[TestClient, Planes, dict[str, dict[str, str]]],
) -> None:
    client, planes, headers = api
    writer = headers["writer"]
    created = client.post("/api/feed/consumers", json=BODY, headers=writer)
    assert created.status_code == 201, created.text
    assert created.json()["api_key_set"] is True
    answers = [
        created,
        client.get("/api/feed/consumers", headers=headers["reader"]),
        client.get("/api/feed/consumers/ebu", headers=headers["reader"]),
        client.patch(
            "/api/feed/consumers/ebu",
            json={"api_key": "n3w-ebu-key", "enabled": False, "document_types": ["DT_RESULT"]},
            headers=writer,
        ),
    ]
    for answer in answers:
        assert answer.status_code in {200, 201}, answer.text
        assert "s3cret-ebu-key" not in answer.text
        assert "n3w-ebu-key" not in answer.text
        assert '"api_key"' not in answer.text
    changed = answers[-1].json()
    assert (changed["enabled"], changed["document_types"], changed["disciplines"]) == (
        False,
        ["DT_RESULT"],
        ["ATH"],
    )
    with planes.games_session() as session:
        assert session.get(FeedConsumer, "ebu").api_key == "n3w-ebu-key"  # type: ignore[union-attr]
    assert client.delete("/api/feed/consumers/ebu", headers=writer).status_code == 204
    gone = client.get("/api/feed/consumers/ebu", headers=headers["reader"])
    assert (gone.status_code, gone.json()["error"]) == (404, "consumer_not_found")


def test_bad_requests_are_refused_with_their_code_and_change_nothing(
    api: tuple[TestClient, Planes, dict[str, dict[str, str]]],
) -> None:
    client, planes, headers = api
    assert (
        client.post("/api/feed/consumers", json=BODY, headers=headers["writer"]).status_code == 201
    )
    bbc = {**BODY, "name": "bbc"}
    cases: list[tuple[str, str, dict[str, Any], str, str]] = [
        ("POST", "", {**BODY, "name": "EBU"}, "bad_consumer_name", "name"),
        ("POST", "", {**bbc, "endpoint": "ftp://x/"}, "bad_endpoint", "endpoint"),
        (
            "POST",
            "",
            {**bbc, "disciplines": ["ATH", "ZZZ"]},
            "unknown_discipline",
            "disciplines[1]",
        ),
        ("POST", "", {**bbc, "api_key": ""}, "bad_api_key", "api_key"),
        ("POST", "", BODY, "consumer_exists", "name"),
        ("POST", "", {**BODY, "colour": "red"}, "invalid_request", ""),
        ("PATCH", "/ebu", {}, "nothing_to_change", "body"),
        ("PATCH", "/ebu", {"endpoint": "https://"}, "bad_endpoint", "endpoint"),
        ("PATCH", "/bbc", {"enabled": True}, "consumer_not_found", ""),
        ("DELETE", "/bbc", {}, "consumer_not_found", ""),
        ("POST", "/ebu/resend", {"seqs": [1], "version": 1}, "resend_ambiguous", "body"),
        ("POST", "/ebu/resend", {"seqs": []}, "no_messages_given", "seqs"),
        ("POST", "/ebu/resend", {"seqs": [999999]}, "message_not_found", "999999"),
        ("POST", "/ebu/resend", {}, "search_empty", "search"),
        ("POST", "/ebu/resend", {"version": 0}, "bad_version", "version"),
        ("POST", "/bbc/resend", {"seqs": [1]}, "consumer_not_found", ""),
    ]
    before = client.get("/api/feed/consumers", headers=headers["reader"]).json()
    for method, path, body, code, where in cases:
        who = headers["resender"] if path.endswith("/resend") else headers["writer"]
        json = None if method == "DELETE" else body
        answer = client.request(method, f"/api/feed/consumers{path}", json=json, headers=who)
        status = 404 if code.endswith("_not_found") else 422
        assert (answer.status_code, answer.json()["error"]) == (status, code), (path, body)
        assert where in str(answer.json()["detail"])
    assert client.get("/api/feed/consumers", headers=headers["reader"]).json() == before
    with planes.games_session() as session:
        assert session.scalar(select(func.count()).select_from(FeedResend)) == 0


def test_resends_over_the_api_are_queued_for_the_operator_and_every_write_is_audited(
    api: tuple[TestClient, Planes, dict[str, dict[str, str]]],
) -> None:
    client, planes, headers = api
    events: list[FeedEvent] = Feed(planes).at_least(6)
    with planes.sovereign_session() as session:
        admin = find_operator(session, "eu-admin").id
        first_audit = session.scalar(select(func.max(AuditRecord.seq))) or 0
    created = client.post("/api/feed/consumers", json=BODY, headers=headers["writer"])
    refused = client.post("/api/feed/consumers", json=BODY, headers=headers["writer"])
    assert (created.status_code, refused.status_code) == (201, 422)
    by_seq = client.post(
        "/api/feed/consumers/ebu/resend",
        json={"seqs": [events[3].seq, events[1].seq]},
        headers=headers["resender"],
    )
    assert by_seq.status_code == 202, by_seq.text
    assert by_seq.json() == {"consumer": "ebu", "queued": [events[1].seq, events[3].seq]}
    by_search = client.post(
        "/api/feed/consumers/ebu/resend",
        json={
            "logical_date": events[0].logical_date.isoformat(),
            "document_code": ATH,
            "document_type": "DT_RESULT",
        },
        headers=headers["resender"],
    )
    assert by_search.status_code == 202, by_search.text
    ath_results = [
        e.seq for e in events if e.document_code == ATH and e.document_type == "DT_RESULT"
    ]
    assert by_search.json()["queued"] == ath_results
    with planes.games_session() as session:
        rows = list(session.scalars(select(FeedResend).order_by(FeedResend.id)))
    assert {row.requested_by for row in rows} == {admin}
    assert client.delete("/api/feed/consumers/ebu", headers=headers["writer"]).status_code == 204
    with planes.sovereign_session() as session:
        audit = list(session.scalars(select(AuditRecord).where(AuditRecord.seq > first_audit)))
    writes = [(r.action, r.operator, r.reason) for r in audit if r.action.startswith("diffusion.")]
    assert writes == [  # the refused second create left no record
        ("diffusion.consumer.create", admin, "consumer:ebu"),
        ("diffusion.feed.resend", admin, "consumer:ebu"),
        ("diffusion.feed.resend", admin, "consumer:ebu"),
        ("diffusion.consumer.remove", admin, "consumer:ebu"),
    ]
    assert all(r.subject is None for r in audit if r.action.startswith("diffusion."))


# --- the command line ---------------------------------------------------------------------

runner = CliRunner()


def _run(node: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--data-dir", str(node), "feed", *args])
    return result.exit_code, result.output


def test_the_feed_commands_manage_consumers_and_refuse_with_their_codes(
    sqlite_settings: Settings,
) -> None:
    node = sqlite_settings.data_dir
    planes = open_planes(sqlite_settings)
    upgrade_all(planes.games, planes.sovereign)
    try:
        events = Feed(planes).at_least(4)
        add = ("consumer", "add", "ebu", "--endpoint", "https://feeds.ebu.example/odf")
        code, out = _run(node, *add, "--api-key", "cli-s3cret", "--discipline", "ATH")
        assert code == 0, out
        assert f"delivery starts after message {events[-1].seq}" in out
        code, out = _run(node, *add, "--api-key", "cli-s3cret")
        assert (code, "[consumer_exists]" in out) == (1, True)
        bad = ("consumer", "add", "bbc", "--endpoint", "gopher://x", "--api-key", "k")
        code, out = _run(node, *bad)
        assert (code, "[bad_endpoint]" in out) == (1, True)
        assert _run(node, "consumer", "disable", "ebu")[0] == 0
        code, out = _run(node, "consumer", "list")
        assert code == 0
        assert "ebu" in out
        assert "disabled" in out
        assert "cli-s3cret" not in out
        assert _run(node, "consumer", "enable", "ebu")[0] == 0
        code, out = _run(node, "resend", "ebu", "--seq", str(events[0].seq))
        assert (code, f"{events[0].seq}" in out) == (0, True)
        code, out = _run(node, "resend", "ebu", "--document-code", SWM, "--version", "1")
        assert code == 0, out
        code, out = _run(node, "resend", "ebu", "--seq", "1", "--version", "1")
        assert (code, "[resend_ambiguous]" in out) == (1, True)
        code, out = _run(node, "resend", "ebu", "--seq", "999999")
        assert (code, "[message_not_found]" in out) == (1, True)
        code, out = _run(node, "consumer", "remove", "nobody")
        assert (code, "[consumer_not_found]" in out) == (1, True)
        with planes.games_session() as session:
            status = queue_status(session, "ebu")
            assert (status.enabled, status.resends) == (True, 2)
        assert _run(node, "consumer", "remove", "ebu")[0] == 0
        assert _consumers(planes) == []
        with planes.sovereign_session() as session:
            actions = list(
                session.scalars(
                    select(AuditRecord.action)
                    .where(AuditRecord.operator == "system", AuditRecord.action.like("diffusion.%"))
                    .order_by(AuditRecord.seq)
                )
            )
        assert actions == [
            "diffusion.consumer.create",
            "diffusion.consumer.disable",
            "diffusion.consumer.enable",
            "diffusion.feed.resend",
            "diffusion.feed.resend",
            "diffusion.consumer.remove",
        ]
    finally:
        planes.dispose()
