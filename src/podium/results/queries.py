"""Reads of results and medals: unit results, medallists and the medal table."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.results.medals import Competition, Medal, rank_medal_counts
from podium.results.models import MedalRecord, UnitResult
from podium.results.schemas import MedallistPublic, MedalStandingPublic, ResultPublic

__all__ = ["NEUTRAL_DELEGATIONS", "medal_table", "medallists", "unit_results"]

NEUTRAL_DELEGATIONS = frozenset({"AIN"})
"""Delegations whose medals stand but which the IOC leaves out of the Olympic medal table
(Individual Neutral Athletes, IOC Executive Board decision of 8 December 2023)."""

_MEDAL_ORDER = {Medal.GOLD: 0, Medal.SILVER: 1, Medal.BRONZE: 2}


def unit_results(session: Session, unit_rsc: str) -> list[ResultPublic]:
    """Return the results of a unit in the published order."""
    query = (
        select(UnitResult).where(UnitResult.unit_rsc == unit_rsc).order_by(UnitResult.sort_order)
    )
    return [ResultPublic.model_validate(r) for r in session.scalars(query)]


def medallists(
    session: Session,
    competition: str = "OG2024",
    *,
    noc: str | None = None,
    discipline: str | None = None,
) -> list[MedallistPublic]:
    """Return the medals awarded, by date, discipline, event and medal.

    Args:
        session: a games-plane session.
        competition: `OG2024` or `PG2024`.
        noc: only this NOC's medals.
        discipline: only this discipline's (by name, as the medal files give it).

    """
    query = select(MedalRecord).where(MedalRecord.competition == competition)
    if noc:
        query = query.where(MedalRecord.noc == noc)
    if discipline:
        query = query.where(MedalRecord.discipline == discipline)
    rows = [MedallistPublic.model_validate(m) for m in session.scalars(query)]
    rows.sort(
        key=lambda m: (
            m.awarded_on,
            m.discipline,
            m.event_name,
            _MEDAL_ORDER[Medal(m.medal)],
            m.noc,
        )
    )
    return rows


def medal_table(session: Session, competition: str = "OG2024") -> list[MedalStandingPublic]:
    """Return the medal table of a Games, ordered gold, then silver, then bronze.

    For the Olympic Games the neutral delegations (AIN) are left out, as in the official
    table; their medals remain listed among the medallists. Each `medal` row is one medal
    (a team medal once), so the counts are a plain aggregate.

    Args:
        session: a games-plane session.
        competition: `OG2024` or `PG2024`.
    """
    query = (
        select(MedalRecord.noc, MedalRecord.medal, func.count())
        .where(MedalRecord.competition == competition)
        .group_by(MedalRecord.noc, MedalRecord.medal)
    )
    if competition == Competition.OG2024:
        query = query.where(MedalRecord.noc.not_in(NEUTRAL_DELEGATIONS))
    counts: dict[str, dict[Medal, int]] = defaultdict(dict)
    for noc, medal, count in session.execute(query):
        counts[noc][Medal(medal)] = count
    return [
        MedalStandingPublic(
            rank=s.rank, noc=s.noc, gold=s.gold, silver=s.silver, bronze=s.bronze, total=s.total
        )
        for s in rank_medal_counts(counts)
    ]
