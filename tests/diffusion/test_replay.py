"""`podium replay paris2024`: the script, the rewind, the steps through capture, `--resume`.

The slice replayed is the shooting of 28 July 2024: two qualifications and two medal
finals (six medals), 20 steps, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.diffusion.engine import FeedEngine
from podium.diffusion.feed import feed_context
from podium.diffusion.log import FeedEvent, read_after
from podium.diffusion.outbox import END_OF_UNIT_ORDER
from podium.diffusion.replay import (
    REPLAY_CURSOR,
    ReplayScript,
    ScriptRows,
    ScriptSlice,
    build_script,
    replay_position,
    rewind,
)
from podium.diffusion.replay_steps import VirtualClock, commit_step
from podium.games import Unit
from podium.odf import RESULT_TRANSITIONS, parse_message, validate_message
from podium.paris2024 import DEFAULT_SOURCE, ImportReport
from podium.paris2024.replay_script import ReplaySource, read_replay_source
from podium.results import MedalRecord, UnitResult

runner = CliRunner()

DAY = date(2024, 7, 28)
SLICE_ARGS = ["--discipline", "SHO", "--from", DAY.isoformat(), "--until", DAY.isoformat()]
SLICE = ScriptSlice(DAY, DAY, frozenset({"SHO"}))
STATUS_ORDER = ["START_LIST", "LIVE", "UNOFFICIAL", "OFFICIAL"]
PODIUM = str(Path(sys.executable).parent / "podium")


@pytest.fixture(scope="module")
def source() -> ReplaySource:
    """The bundled files, read once for the module."""
    return read_replay_source(DEFAULT_SOURCE)


def script_of(source: ReplaySource, where: ScriptSlice | None = None) -> ReplayScript:
    return build_script(
        ScriptRows(source.units, source.results, source.medals, source.events), where
    )


def node_env(settings: Settings) -> dict[str, str]:
    """The environment that points `podium` at the node's databases."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    if settings.games_db_url:
        env["PODIUM_GAMES_DB_URL"] = settings.games_db_url
        env["PODIUM_SOVEREIGN_DB_URL"] = settings.sovereign_db_url or ""
    return env


def cli_env(settings: Settings) -> dict[str, str | None]:
    """The same, for `CliRunner.invoke` (None unsets a variable)."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("PODIUM_")}
    return {**unset, **node_env(settings)}


def replay(settings: Settings, *args: str) -> tuple[int, str]:
    """Run `podium --data-dir D replay paris2024 ARGS` in-process; return (exit code, output)."""
    command = ["--data-dir", str(settings.data_dir), "replay", "paris2024", *args]
    result = runner.invoke(app, command, env=cli_env(settings))
    failure = result.exception if not isinstance(result.exception, SystemExit) else None
    trace = "".join(traceback.format_exception(failure)) if failure else ""
    return result.exit_code, result.output + trace


def feed(planes: Planes) -> list[FeedEvent]:
    with planes.games_session() as session:
        return read_after(session, 0, limit=100_000)


def results_of(planes: Planes, units: tuple[str, ...]) -> dict[str, list[tuple[object, ...]]]:
    """Each unit's result lines in order, every column but the 0- or 1-based sort_order."""
    columns = [c for c in UnitResult.__table__.columns if c.name != "sort_order"]
    lines: dict[str, list[tuple[object, ...]]] = defaultdict(list)
    with planes.games_session() as session:
        query = select(*columns).where(UnitResult.unit_rsc.in_(units))
        for row in session.execute(query.order_by(UnitResult.unit_rsc, UnitResult.sort_order)):
            lines[row.unit_rsc].append(tuple(row))
    return dict(lines)


def medals_of(planes: Planes, keys: set[str]) -> set[tuple[str, str, str, str | None]]:
    with planes.games_session() as session:
        rows = session.scalars(select(MedalRecord).where(MedalRecord.key.in_(keys)))
        return {(m.key, m.medal, m.noc, m.competitor_code) for m in rows}


def statuses_by_unit(events: list[FeedEvent]) -> dict[str, list[str]]:
    """Each unit's DT_RESULT statuses as sent; they only move forward (burst merging may
    skip some, ODF Foundation Principles §4.4) and may follow each other (§6.13)."""
    by_unit: dict[str, list[str]] = defaultdict(list)
    for event in events:
        if event.document_type == "DT_RESULT" and event.result_status:
            by_unit[event.document_code].append(event.result_status)
    for statuses in by_unit.values():
        ranks = [STATUS_ORDER.index(s) for s in statuses]
        assert ranks == sorted(ranks), statuses
        for before, after in itertools.pairwise(statuses):
            assert after in RESULT_TRANSITIONS[before], statuses  # type: ignore[index]
    return dict(by_unit)


def last_message_is_official(by_unit: dict[str, list[str]]) -> None:
    """Each unit's last DT_RESULT is OFFICIAL, as its unit is.

    Regression: the feed engine once deleted the outbox rows it had read by key alone, so
    a capture that queued a document again during the pass lost its newer state; it now
    deletes only the rows as read (key and batch).
    """
    behind = {unit: s[-1] for unit, s in by_unit.items() if s[-1] != "OFFICIAL"}
    assert not behind, f"the feed lost the newest state of {behind}"


# The script (pure: no database) ------------------------------------------------------


def test_each_unit_goes_from_start_list_to_official_in_games_time(source: ReplaySource) -> None:
    script = script_of(source, SLICE)
    assert len(script.units) == 4
    assert [s.at for s in script.steps] == sorted(s.at for s in script.steps)
    steps = defaultdict(list)
    for step in script.steps:
        steps[step.unit_rsc].append(step)
    final = "SHOMAPM---------------FNL-000100--"
    kinds = [(s.kind, s.update.result_status, s.update.schedule_status) for s in steps[final]]
    assert kinds == [
        ("start_list", "START_LIST", "GETTING_READY"),
        ("start", "LIVE", "RUNNING"),
        ("intermediate", "LIVE", None),
        ("finish", "UNOFFICIAL", "FINISHED"),
        ("official", "OFFICIAL", None),
    ]
    start_list, _, live, finish, official = steps[final]
    assert official.at - finish.at == timedelta(minutes=2)
    unit = next(u for u in source.units if u["rsc"] == final)
    assert start_list.at == unit["starts_at"] - timedelta(minutes=15)  # 09:15 Paris
    assert finish.at == unit["ends_at"]
    assert live.at == unit["starts_at"] + (unit["ends_at"] - unit["starts_at"]) / 2
    assert all(
        line.rank is None and line.result is None for line in start_list.update.results or ()
    )
    revealed = [line for line in live.update.results or () if line.result is not None]
    assert len(revealed) == 4  # half of the 8 finalists, without ranks
    assert all(line.rank is None for line in live.update.results or ())
    assert {(m.medal) for m in official.update.medals or ()} == {"GOLD", "SILVER", "BRONZE"}
    qualification = steps["SHOWARW---------------QUAL000100--"][-1]
    assert qualification.update.medals is None  # not a medal unit: capture allocates nothing


def test_medals_without_a_result_line_are_listed_not_awarded(source: ReplaySource) -> None:
    # The boxing finals of 10 August have a schedule and medallists but no results.
    script = script_of(
        source, ScriptSlice(date(2024, 8, 10), date(2024, 8, 10), frozenset({"BOX"}))
    )
    assert len(script.unawarded) == 8
    assert {m.reason for m in script.unawarded} == {"medallist_not_in_unit"}
    assert set(script.medal_keys) == {m.key for m in script.unawarded}
    assert not any(s.update.medals for s in script.steps)
    assert {s.kind for s in script.steps} == {"start_list", "start", "finish"}  # schedule only


def test_the_whole_games_script_is_deterministic(source: ReplaySource) -> None:
    first, again = script_of(source), script_of(read_replay_source(DEFAULT_SOURCE))
    assert first.digest() == again.digest()
    cancelled = [s for s in first.steps if s.kind == "cancel"]
    assert cancelled
    assert all(s.update.schedule_status == "CANCELLED" for s in cancelled)
    awarded = sum(len(s.update.medals or ()) for s in first.steps)
    assert awarded + len(first.unawarded) == len(first.medal_keys)


def test_the_virtual_clock_runs_speed_times_faster_and_never_back() -> None:
    wall = [100.0]
    origin = datetime(2024, 7, 28, 5, 0, tzinfo=UTC)
    paced = VirtualClock(origin, 600.0, wall=lambda: wall[0])
    assert paced.reach(origin + timedelta(minutes=20)) == pytest.approx(2.0)
    wall[0] += 1.0
    assert paced.now() == origin + timedelta(minutes=10)
    fastest = VirtualClock(origin, None)
    assert fastest.reach(origin + timedelta(hours=2)) == 0.0
    fastest.reach(origin + timedelta(hours=1))
    assert fastest.now() == origin + timedelta(hours=2)


# The replay on a node: SQLite and PostgreSQL -----------------------------------------


def test_a_replayed_slice_ends_with_the_imported_results_and_medals(
    live_settings: Settings,
    imported: tuple[Planes, ImportReport, Path],
    source: ReplaySource,
) -> None:
    script = script_of(source, SLICE)
    code, output = replay(live_settings, "--speed", "max", "--no-serve", *SLICE_ARGS)
    assert code == 0, output
    planes = open_planes(live_settings)
    try:
        with planes.games_session() as session:
            units = session.scalars(select(Unit).where(Unit.rsc.in_(script.units))).all()
            assert {(u.status, u.result_status) for u in units} == {("FINISHED", "OFFICIAL")}
            assert replay_position(session) == len(script.steps)
        assert results_of(planes, script.units) == results_of(imported[0], script.units)
        keys = set(script.medal_keys)
        assert len(keys) == 6
        assert medals_of(planes, keys) == medals_of(imported[0], keys)
        events = feed(planes)
    finally:
        planes.dispose()
    for event in events:
        assert validate_message(event.content) == [], event.key
        assert parse_message(event.content).header.logical_date == DAY  # Games time
    by_unit = statuses_by_unit(events)
    assert set(by_unit) == set(script.units)
    # At maximum speed a unit's later states may merge (§4.4), never its start list.
    assert {statuses[0] for statuses in by_unit.values()} == {"START_LIST"}
    finals = {"SHOMAPM---------------FNL-000100--", "SHOWAPW---------------FNL-000100--"}
    medallists = {e.document_code for e in events if e.document_type == "DT_MEDALLISTS"}
    assert medallists == {final[:22].ljust(34, "-") for final in finals}
    assert [e.document_type for e in events].count("DT_MEDALS") == 2  # one per final
    assert "steps: 20 of 20 committed" in output
    last_message_is_official(by_unit)
    for final in finals:  # §9.1.1 at the end of each final: results, medallists, medals, ranking
        official = next(
            e.seq for e in events if e.document_code == final and e.result_status == "OFFICIAL"
        )
        after = [e.document_type for e in events if e.seq > official]
        medallists = after.index("DT_MEDALLISTS")
        assert "DT_MEDALS" in after[medallists:]
        assert "DT_RANKING" in after[medallists:]


def test_one_pass_after_each_step_sends_every_status_in_end_of_unit_order(
    live_planes: Planes, source: ReplaySource
) -> None:
    script = script_of(source, SLICE)
    with live_planes.games_session() as session:
        rewind(session, script)
    clock = VirtualClock(script.steps[0].at, None)
    engine = FeedEngine(live_planes, feed_context(clock=clock.now), window_ms=0)
    for index, step in enumerate(script.steps):
        clock.reach(step.at)
        outcome = commit_step(live_planes, script, index)
        assert outcome.refused is None, outcome.reason
        batch = [e.document_type for e in engine.pump().events]
        assert batch == sorted(batch, key=END_OF_UNIT_ORDER.__getitem__), (step.kind, batch)
    by_unit = statuses_by_unit(feed(live_planes))
    for unit, statuses in by_unit.items():
        assert statuses == ["START_LIST", "LIVE", "LIVE", "UNOFFICIAL", "OFFICIAL"], unit


def test_a_second_replay_needs_yes_and_continues_the_versions(sqlite_settings: Settings) -> None:
    assert replay(sqlite_settings, "--speed", "max", "--no-serve", *SLICE_ARGS)[0] == 0
    code, output = replay(sqlite_settings, "--speed", "max", "--no-serve", *SLICE_ARGS)
    assert code == 1
    assert "[feed_not_empty]" in output
    assert replay(sqlite_settings, "--speed", "max", "--no-serve", "--yes", *SLICE_ARGS)[0] == 0
    planes = open_planes(sqlite_settings)
    try:
        events = feed(planes)
    finally:
        planes.dispose()
    final = [e for e in events if e.document_code == "SHOMAPM---------------FNL-000100--"]
    versions = [e.version for e in final]
    assert versions == list(range(1, len(versions) + 1))  # the log is kept: Versions go on
    statuses = [e.result_status or "" for e in final]
    assert statuses.count("START_LIST") == 2  # each replay's start list, after the OFFICIAL
    last_message_is_official({final[0].document_code: statuses})


def test_resume_refuses_when_no_replay_was_started(sqlite_settings: Settings) -> None:
    code, output = replay(sqlite_settings, "--resume", "--speed", "max", "--no-serve")
    assert code == 1
    assert "[no_replay]" in output


def test_resume_continues_after_the_last_committed_step(
    live_settings: Settings,
    imported: tuple[Planes, ImportReport, Path],
    source: ReplaySource,
) -> None:
    script = script_of(source, SLICE)
    command = [PODIUM, "--data-dir", str(live_settings.data_dir)]
    # 600 Games seconds a second: the 20 steps take about 23 s; Ctrl-C after a few.
    args = [*command, "replay", "paris2024", "--speed", "600", "--no-serve", *SLICE_ARGS]
    process = subprocess.Popen(args, env=node_env(live_settings), stderr=subprocess.PIPE, text=True)
    planes = open_planes(live_settings)
    try:
        done = wait_for_position(planes, 3, process)
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=60)
        assert process.returncode == 130, errors
        assert "--resume" in errors
        with planes.games_session() as session:
            done = replay_position(session) or 0
        assert 3 <= done < len(script.steps)
        code, output = replay(live_settings, "--resume", "--speed", "max", "--no-serve")
        assert code == 0, output
        assert f"resuming after step {done} of {len(script.steps)}" in output
        report = json.loads(
            (live_settings.data_dir / "reports" / "replay-paris2024-latest.json").read_text()
        )
        assert report["ran"] == len(script.steps) - done  # no step ran twice
        assert report["refused"] == []
        assert results_of(planes, script.units) == results_of(imported[0], script.units)
        events = feed(planes)
    finally:
        process.kill()
        planes.dispose()
    by_unit = statuses_by_unit(events)
    # Paced, the first unit's start list went out on its own, 1.5 s before its start.
    assert by_unit[script.steps[0].unit_rsc][:2] == ["START_LIST", "LIVE"]
    last_message_is_official(by_unit)


def wait_for_position(planes: Planes, at_least: int, process: subprocess.Popen[str]) -> int:
    """Wait until the replay in `process` has committed `at_least` steps; return how many."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        with planes.games_session() as session:
            position = replay_position(session)
        if position is not None and position >= at_least:
            return position
        time.sleep(0.05)
    pytest.fail(f"the replay did not reach step {at_least} ({REPLAY_CURSOR})")
