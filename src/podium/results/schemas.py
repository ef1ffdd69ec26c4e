"""Public shapes of results and medals."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

__all__ = ["MedalStandingPublic", "MedallistPublic", "ResultPublic"]


class _Public(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


class ResultPublic(_Public):
    """A competitor's result in a unit, as published (ODF `Result` of `DT_RESULT`)."""

    competitor_code: str
    competitor_type: str
    competitor_name: str
    noc: str
    rank: int | None
    result: str | None
    result_type: str | None
    irm: str | None
    wlt: str | None
    diff: str | None
    qualification_mark: str | None
    start_order: str | None
    bib: str | None
    records: str | None = None


class MedallistPublic(_Public):
    """A medal as awarded: Games, event, medal, NOC, medallist (athlete or team) and date."""

    competition: str
    event_key: str
    event_name: str
    discipline: str
    medal: str
    noc: str
    competitor_code: str | None
    competitor_name: str
    awarded_on: date


class MedalStandingPublic(_Public):
    """A NOC's line in the medal table: rank, gold, silver, bronze and total."""

    rank: int
    noc: str
    gold: int
    silver: int
    bronze: int
    total: int
