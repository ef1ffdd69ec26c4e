"""Helpers of the live-feed tests: a unit's real results as capture lines, a pumped engine."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from podium.core.db import Planes
from podium.diffusion.capture import CompetitorResult, UnitUpdate, capture
from podium.diffusion.engine import FeedEngine
from podium.diffusion.feed import feed_context
from podium.diffusion.live_messages import build_documents
from podium.diffusion.log import FeedEvent
from podium.games import Unit
from podium.results import UnitResult

NOW = datetime(2024, 8, 1, 12, 0, tzinfo=UTC)

WALK = "ATHM20KMWALK----------FNL-000100--"
"""Men's 20 km race walk final: a medal unit with 49 result lines in the bundled data."""


def real_lines(planes: Planes, unit: str) -> list[CompetitorResult]:
    """Return a unit's imported results as capture lines, in published order."""
    with planes.games_session() as session:
        rows = session.scalars(
            select(UnitResult).where(UnitResult.unit_rsc == unit).order_by(UnitResult.sort_order)
        )
        return [
            CompetitorResult(
                competitor_code=r.competitor_code,
                competitor_type=r.competitor_type,  # type: ignore[arg-type]
                competitor_name=r.competitor_name,
                noc=r.noc,
                rank=r.rank,
                result=r.result,
                result_type=r.result_type,
                irm=r.irm,
                wlt=r.wlt,  # type: ignore[arg-type]
                start_order=r.start_order,
                bib=r.bib,
            )
            for r in rows
        ]


def start_list(lines: list[CompetitorResult]) -> list[CompetitorResult]:
    """Return the lines with no rank, result or IRM: a start list."""
    return [
        line.model_copy(update={"rank": None, "result": None, "irm": None, "result_type": None})
        for line in lines
    ]


def reset_unit(planes: Planes, unit: str) -> None:
    """Put a unit back before its start list: SCHEDULED, no result status."""
    with planes.games_session() as session:
        row = session.get(Unit, unit)
        assert row is not None
        row.status, row.result_status, row.note = "SCHEDULED", None, None


def apply(planes: Planes, unit: str, update: UnitUpdate) -> list[str]:
    """Capture one update in its own transaction; return the documents queued."""
    with planes.games_session() as session:
        return capture(session, unit, update, NOW).documents


class Clock:
    """A settable wall clock in milliseconds, for the burst window."""

    def __init__(self, start: int = 1_722_510_000_000) -> None:
        """Start at `start` ms."""
        self.now = start

    def __call__(self) -> int:
        """Return the current ms."""
        return self.now


def engine(planes: Planes, clock: Clock | None = None, window_ms: int = 250) -> FeedEngine:
    """Return a feed engine over the planes, dated at NOW, with an injectable window clock."""
    context = feed_context(clock=lambda: NOW)
    if clock is None:
        return FeedEngine(planes, context, build_documents, window_ms=window_ms)
    return FeedEngine(planes, context, build_documents, window_ms=window_ms, clock_ms=clock)


def kinds(events: list[FeedEvent]) -> list[tuple[str, int, str | None]]:
    """Return (DocumentType, Version, ResultStatus) of each event, in order."""
    return [(e.document_type, e.version, e.result_status) for e in events]
