"""The feed log: versions per ODF key, no version for identical content, invalidation,
burst merging (§4.4), the end-of-unit order (§9.1.1), and schema-valid messages."""

from __future__ import annotations

from sqlalchemy import func, select

from podium.core.db import Planes
from podium.diffusion.capture import UnitUpdate
from podium.diffusion.log import content_digest, read_after
from podium.diffusion.models import FeedMessage, FeedOutbox
from podium.odf import parse_message, validate_message
from tests.diffusion.live import (
    WALK,
    Clock,
    apply,
    engine,
    kinds,
    real_lines,
    reset_unit,
    start_list,
)


def _run_unit(planes: Planes, clock: Clock) -> list[tuple[str, int, str | None]]:
    """Take the walk final from start list to OFFICIAL, a pass after each step, 1 s apart."""
    lines = real_lines(planes, WALK)
    reset_unit(planes, WALK)
    feed = engine(planes, clock)
    sent = []
    steps = [
        UnitUpdate(
            result_status="START_LIST", schedule_status="GETTING_READY", results=start_list(lines)
        ),
        UnitUpdate(result_status="LIVE", schedule_status="RUNNING"),
        UnitUpdate(result_status="UNOFFICIAL", schedule_status="FINISHED", results=lines),
        UnitUpdate(result_status="OFFICIAL"),
    ]
    for step in steps:
        apply(planes, WALK, step)
        sent.extend(feed.pump().events)
        clock.now += 1000
    return kinds(sent)


def test_a_unit_goes_through_its_statuses_with_one_version_each(live_planes: Planes) -> None:
    sent = _run_unit(live_planes, Clock())
    results = [k for k in sent if k[0] == "DT_RESULT"]
    assert [status for _, _, status in results] == ["START_LIST", "LIVE", "UNOFFICIAL", "OFFICIAL"]
    assert [version for _, version, _ in results] == [1, 2, 3, 4]
    updates = [k for k in sent if k[0] == "DT_SCHEDULE_UPDATE"]
    assert [v for _, v, _ in updates] == [1, 2, 3]  # GETTING_READY, RUNNING, FINISHED


def test_every_message_validates_and_carries_its_key_and_sequence(live_planes: Planes) -> None:
    _run_unit(live_planes, Clock())
    with live_planes.games_session() as session:
        events = read_after(session, 0, limit=100)
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert len({e.seq for e in events}) == len(events)
    for event in events:
        assert validate_message(event.content) == [], event.key
        header = parse_message(event.content).header
        assert (header.document_type, header.document_code, header.version) == (
            event.document_type,
            event.document_code,
            event.version,
        )
    assert {"DT_SCHEDULE_UPDATE", "DT_RESULT", "DT_PHASE_RESULT", "DT_RANKING"} <= {
        e.document_type for e in events
    }


def test_the_end_of_unit_messages_follow_the_order_of_9_1_1(live_planes: Planes) -> None:
    lines = real_lines(live_planes, WALK)
    reset_unit(live_planes, WALK)
    clock = Clock()
    feed = engine(live_planes, clock)
    apply(
        live_planes,
        WALK,
        UnitUpdate(
            result_status="START_LIST", schedule_status="GETTING_READY", results=start_list(lines)
        ),
    )
    feed.pump()
    clock.now += 1000
    # The medals are given explicitly, differently from the imported ones, so the medal
    # messages change too.
    gold, silver, bronze = (line.competitor_code for line in lines[3:6])
    apply(
        live_planes,
        WALK,
        UnitUpdate(
            result_status="OFFICIAL",
            schedule_status="RUNNING",
            results=lines,
            medals=[
                {"competitor_code": gold, "medal": "GOLD"},  # type: ignore[list-item]
                {"competitor_code": silver, "medal": "SILVER"},  # type: ignore[list-item]
                {"competitor_code": bronze, "medal": "BRONZE"},  # type: ignore[list-item]
            ],
        ),
    )
    order = [k[0] for k in kinds(feed.pump().events)]
    assert order == [
        "DT_SCHEDULE_UPDATE",
        "DT_RESULT",
        "DT_PHASE_RESULT",
        "DT_MEDALLISTS",
        "DT_MEDALS",
        "DT_RANKING",
    ]


def test_identical_content_produces_no_new_version(live_planes: Planes) -> None:
    lines = real_lines(live_planes, WALK)
    _run_unit(live_planes, Clock(1_800_000_000_000))
    with live_planes.games_session() as session:
        before = session.scalar(select(func.count()).select_from(FeedMessage))
    feed = engine(live_planes, Clock(1_900_000_000_000))
    # The same lines again, as a correction with no change: the documents are queued,
    # rebuilt, and found identical to what was sent.
    queued = apply(live_planes, WALK, UnitUpdate(results=lines, note="checked, no change"))
    assert "DT_RESULT " + WALK in queued
    sent = feed.pump().events
    assert [e.document_type for e in sent] == ["DT_RESULT"]  # only the Note is new
    feed2 = engine(live_planes, Clock(1_900_000_010_000))
    apply(live_planes, WALK, UnitUpdate(results=lines, note="checked, no change"))
    assert feed2.pump().events == []
    with live_planes.games_session() as session:
        assert session.scalar(select(func.count()).select_from(FeedMessage)) == before + 1
        assert session.scalar(select(func.count()).select_from(FeedOutbox)) == 0


def test_the_digest_ignores_only_version_and_times() -> None:
    head = b'<OdfBody CompetitionCode="OG2024" DocumentCode="X" DocumentType="DT_RESULT" '
    tail = b' ResultStatus="LIVE"><Competition/></OdfBody>'
    one = head + b'Version="1" Date="2024-08-01" Time="120000000" LogicalDate="2024-08-01"' + tail
    two = head + b'Version="7" Date="2024-08-02" Time="130000000" LogicalDate="2024-08-02"' + tail
    other = one.replace(b'ResultStatus="LIVE"', b'ResultStatus="OFFICIAL"')
    assert content_digest(one) == content_digest(two)
    assert content_digest(one) != content_digest(other)


def test_a_withdrawn_start_list_is_invalidated(live_planes: Planes) -> None:
    lines = real_lines(live_planes, WALK)
    reset_unit(live_planes, WALK)
    clock = Clock()
    feed = engine(live_planes, clock)
    apply(live_planes, WALK, UnitUpdate(result_status="START_LIST", results=start_list(lines)))
    feed.pump()
    clock.now += 1000
    apply(live_planes, WALK, UnitUpdate(result_status="START_LIST", results=[]))
    sent = [e for e in feed.pump().events if e.document_type == "DT_RESULT"]
    assert len(sent) == 1
    invalidation = sent[0]
    assert invalidation.invalidation
    assert invalidation.version == 2
    assert b"<Competition" not in invalidation.content
    assert validate_message(invalidation.content) == []
    assert parse_message(invalidation.content).header.document_code == WALK


def test_bursts_merge_to_one_message_per_window_the_first_at_once_the_last_kept(
    live_planes: Planes,
) -> None:
    lines = real_lines(live_planes, WALK)
    reset_unit(live_planes, WALK)
    clock = Clock()
    feed = engine(live_planes, clock)
    apply(live_planes, WALK, UnitUpdate(result_status="START_LIST", results=start_list(lines)))
    first = [e for e in feed.pump().events if e.document_type == "DT_RESULT"]
    assert [e.result_status for e in first] == ["START_LIST"]  # the first goes at once
    # A burst inside the window: LIVE with more and more results, every 20 ms.
    apply(live_planes, WALK, UnitUpdate(result_status="LIVE"))
    for count in range(1, 10):
        clock.now += 20
        partial = lines[:count] + start_list(lines[count:])
        apply(live_planes, WALK, UnitUpdate(results=partial))
        result = feed.pump()
        assert not [e for e in result.events if e.document_type == "DT_RESULT"]
        assert result.next_due_ms == first[0].sent_at.timestamp() * 1000 + 250
    clock.now = int(first[0].sent_at.timestamp() * 1000) + 250
    merged = [e for e in feed.pump().events if e.document_type == "DT_RESULT"]
    assert len(merged) == 1  # one message for the whole window...
    assert merged[0].version == 2
    assert merged[0].content.count(b"<Result ") == len(lines)
    assert merged[0].content.count(b' Rank="') == 9  # ...with the window's last state
