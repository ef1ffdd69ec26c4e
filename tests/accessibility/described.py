"""Helpers of the description tests: the men's 100 m final replayed, its feed described.

The unit is replayed as `podium replay paris2024` plays it (start list, start, half the
field's times, unofficial result, official result with the medals), one feed-engine pass
after each step, so every ResultStatus reaches the feed on its own.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from podium.accessibility import Describer, Description, games_names
from podium.core.db import Planes
from podium.diffusion.engine import FeedEngine
from podium.diffusion.feed import feed_context
from podium.diffusion.log import FeedEvent, last_seq, read_after
from podium.diffusion.replay import ReplayScript, ScriptRows, ScriptSlice, build_script, rewind
from podium.diffusion.replay_steps import VirtualClock, commit_step
from podium.odf import parse_message
from podium.paris2024 import DEFAULT_SOURCE
from podium.paris2024.replay_script import read_replay_source
from podium.results import UnitResult
from tests.diffusion.streaming import Node

FINAL = "ATHM100M--------------FNL-000100--"
"""The men's 100 m final of 4 August 2024 (Noah Lyles, 9.79)."""
MEDAL_EVENT = "Athletics/Men's 100m"
"""The `event_key` of the final's medals in the `medal` table."""
DAY = date(2024, 8, 4)


def final_script() -> ReplayScript:
    """The replay script of the 100 m final alone (5 steps)."""
    source = read_replay_source(DEFAULT_SOURCE)
    rows = ScriptRows(source.units, source.results, source.medals, source.events)
    script = build_script(rows, ScriptSlice(DAY, DAY, frozenset({"ATH"})))
    return ReplayScript(
        steps=tuple(s for s in script.steps if s.unit_rsc == FINAL),
        units=(FINAL,),
        medal_keys=tuple(k for k in script.medal_keys if k.split("|")[1] == MEDAL_EVENT),
        unawarded=tuple(m for m in script.unawarded if m.unit_rsc == FINAL),
    )


def replay_final(planes: Planes, script: ReplayScript) -> list[FeedEvent]:
    """Rewind the final, replay its steps with one engine pass each; return the new messages."""
    with planes.games_session() as session:
        rewind(session, script)
        before = last_seq(session)
    clock = VirtualClock(script.steps[0].at, None)
    engine = FeedEngine(planes, feed_context(clock=clock.now), window_ms=0)
    for index, step in enumerate(script.steps):
        clock.reach(step.at)
        outcome = commit_step(planes, script, index)
        assert outcome.refused is None, outcome.reason
        engine.pump()
    with planes.games_session() as session:
        return read_after(session, before, limit=10_000)


def describe(planes: Planes, events: list[FeedEvent]) -> list[Description]:
    """Describe feed messages in order with a fresh describer over the games plane's names."""
    nocs, units = games_names(planes)
    describer = Describer(nocs, units.get)
    found: list[Description] = []
    for event in events:
        if event.document_type in {"DT_RESULT", "DT_MEDALLISTS"} and not event.invalidation:
            found += describer.describe(event.seq, parse_message(event.content))
    return found


def podium_rows(planes: Planes) -> list[UnitResult]:
    """The final's first three result lines as the database holds them after the replay."""
    with planes.games_session() as session:
        query = select(UnitResult).where(UnitResult.unit_rsc == FINAL, UnitResult.rank <= 3)
        rows = list(session.scalars(query.order_by(UnitResult.rank, UnitResult.sort_order)))
        session.expunge_all()
        return rows


def replay_on(node: Node) -> None:
    """Rewind the final on a served node and capture its steps, each sent before the next."""
    script = final_script()
    with node.planes.games_session() as session:
        rewind(session, script)
    for index in range(len(script.steps)):
        assert commit_step(node.planes, script, index).refused is None
        node.app.state.diffusion.captured()
        node.settle()
