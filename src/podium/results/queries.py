"""Reads of results and medals: unit results, medallists and the medal table."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.results.medals import Competition, Medal, MedalAward, medal_standings
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
    table; their medals remain listed among the medallists.

    Args:
        session: a games-plane session.
        competition: `OG2024` or `PG2024`.

    """
    records = session.scalars(select(MedalRecord).where(MedalRecord.competition == competition))
    awards = [
        MedalAward(
            competition=Competition(r.competition),
            event_key=r.event_key,
            discipline=r.discipline,
            medal=Medal(r.medal),
            noc=r.noc,
            participant_code=r.competitor_code or r.competitor_name,
            participant_name=r.competitor_name,
            date=r.awarded_on,
        )
        for r in records
        if not (competition == Competition.OG2024 and r.noc in NEUTRAL_DELEGATIONS)
    ]
    return [
        MedalStandingPublic(
            rank=s.rank, noc=s.noc, gold=s.gold, silver=s.silver, bronze=s.bronze, total=s.total
        )
        for s in medal_standings(awards)
    ]
