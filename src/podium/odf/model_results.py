# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Typed, frozen payloads of DT_RESULT, DT_MEDALLISTS and DT_MEDALS (see `model`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from podium.odf.errors import InvalidOdfValueError

if TYPE_CHECKING:
    from datetime import date, datetime

    from podium.odf.codes import Rsc
    from podium.odf.model import CompetitorType, Gender, MedalCode

__all__ = [
    "Athlete",
    "Competitor",
    "EventMedallists",
    "MedalAward",
    "MedalLine",
    "MedalStandings",
    "RecordMark",
    "ResultLine",
    "UnitResult",
]


@dataclass(frozen=True, slots=True)
class Athlete:
    """An athlete as printed in a competitor's `Composition` (`Athlete` + `Description`).

    Args:
        code: `Code`, the athlete's ODF participant code.
        family_name: `FamilyName` as printed.
        gender: `Gender`, `M`, `F` or `X`.
        organisation: `Organisation`, the NOC code, for example `FRA`.
        given_name: `GivenName` or None.
        bib: `Bib` or None.

    """

    code: str
    family_name: str
    gender: Gender
    organisation: str
    given_name: str | None = None
    bib: str | None = None


@dataclass(frozen=True, slots=True)
class Competitor:
    """An athlete or team taking part (`Competitor`, schema `competitorResultsType`).

    Args:
        code: `Code`; for an individual, the athlete's code.
        type: `Type`, `A` (athlete), `T` (team) or `H` (horse).
        organisation: `Organisation`, the NOC code.
        athletes: the `Composition` athletes, in order (one for an individual).
        team_name: `Description@TeamName` for a team, else None.
        bib: `Bib` or None.

    """

    code: str
    type: CompetitorType
    organisation: str
    athletes: tuple[Athlete, ...] = ()
    team_name: str | None = None
    bib: str | None = None

    @classmethod
    def individual(cls, athlete: Athlete, bib: str | None = None) -> Competitor:
        """Return the `A` competitor made of one athlete, with the athlete's code and NOC."""
        return cls(athlete.code, "A", athlete.organisation, (athlete,), bib=bib)


@dataclass(frozen=True, slots=True)
class RecordMark:
    """A record set or equalled by a result (`RecordIndicator`).

    Args:
        code: `Code`, the record code, for example `WR` or `OR`.
        record_type: `RecordType`, for example `WR`.
        order: `Order`, 1 for the most important mark.
        equalled: True when the record was equalled, not broken (`Equalled="Y"`).

    """

    code: str
    record_type: str
    order: int = 1
    equalled: bool = False


@dataclass(frozen=True, slots=True)
class ResultLine:
    """One competitor's line of a unit result (`Result`, schema `resultType`).

    Args:
        competitor: who.
        rank: `Rank` as text (`1`, `2`, ...) or None.
        rank_equal: True for a shared rank (`RankEqual="Y"`).
        result: `Result` as text, for example `9.79` or `1:42.33`.
        result_type: `ResultType`, for example `TIME`, or None.
        irm: `IRM` (invalid result mark: `DNS`, `DNF`, `DSQ`, ...) or None.
        qualification_mark: `QualificationMark` (`Q`, `q`, ...) or None.
        sort_order: `SortOrder` (1-based position in the list) or None.
        start_order: `StartOrder` or None.
        records: the `RecordIndicators`, in order.
        wlt: `WLT`, `W`, `L` or `T` in a head-to-head unit, or None.
        diff: `Diff`, the gap to the leader as published (`+0.12`), or None.

    """

    competitor: Competitor
    rank: str | None = None
    rank_equal: bool = False
    result: str | None = None
    result_type: str | None = None
    irm: str | None = None
    qualification_mark: str | None = None
    sort_order: int | None = None
    start_order: str | None = None
    records: tuple[RecordMark, ...] = ()
    wlt: str | None = None
    diff: str | None = None


@dataclass(frozen=True, slots=True)
class UnitResult:
    """The DT_RESULT payload of one unit.

    Args:
        unit: the unit's RSC, also the message's DocumentCode.
        lines: the result lines, in `SortOrder`.

    """

    unit: Rsc
    lines: tuple[ResultLine, ...]


@dataclass(frozen=True, slots=True)
class MedalAward:
    """One medal of an event and who won it (`Medal`, schema `medalType`).

    Args:
        medal: `Code`, `ME_GOLD`, `ME_SILVER` or `ME_BRONZE`.
        date: `Date`, the day it was won.
        unit: `Unit`, the RSC of the deciding unit.
        competitors: the winners (more than one for a tie).

    """

    medal: MedalCode
    date: date
    unit: Rsc
    competitors: tuple[Competitor, ...]


@dataclass(frozen=True, slots=True)
class EventMedallists:
    """The DT_MEDALLISTS payload of one event.

    Args:
        event: the event-level RSC, also the message's DocumentCode.
        awards: the medals, gold first; at least one.

    Raises:
        InvalidOdfValueError: `odf_bad_value` when `awards` is empty (the schema needs one).

    """

    event: Rsc
    awards: tuple[MedalAward, ...]

    def __post_init__(self) -> None:
        """Refuse an empty list, which the schema cannot express."""
        if not self.awards:
            msg = f"DT_MEDALLISTS for {self.event} needs at least one medal"
            raise InvalidOdfValueError(msg, code="odf_bad_value")


@dataclass(frozen=True, slots=True)
class MedalLine:
    """One NOC's line of the medal table (`MedalLine`, schema `medalLineType`).

    Args:
        organisation: `Organisation`, the NOC code.
        organisation_name: `Description@OrganisationName`.
        gold: gold medals, 0 or more.
        silver: silver medals, 0 or more.
        bronze: bronze medals, 0 or more.
        rank: `Rank`, by gold first.
        rank_total: `RankTotal`, by total.
        sort_rank: `SortRank`, 1-based position when sorted by `rank`.
        sort_rank_total: `SortRankTotal`, 1-based position when sorted by `rank_total`.
        rank_equal: True when `rank` is shared.
        rank_total_equal: True when `rank_total` is shared.

    """

    organisation: str
    organisation_name: str
    gold: int
    silver: int
    bronze: int
    rank: int
    rank_total: int
    sort_rank: int
    sort_rank_total: int
    rank_equal: bool = False
    rank_total_equal: bool = False

    @property
    def total(self) -> int:
        """Gold, silver and bronze added up."""
        return self.gold + self.silver + self.bronze


@dataclass(frozen=True, slots=True)
class MedalStandings:
    """The DT_MEDALS payload: the Games medal table (`MedalStandings`).

    Args:
        as_of: `DateTime`, aware, when the table was computed.
        last_event: `LastEvent`, the RSC of the last event that finished.
        total_events: `TotalEvents`, events in the Games.
        finished_events: `FinishedEvents`, events with medals awarded.
        lines: one line per NOC, in `SortRank` order.

    """

    as_of: datetime
    last_event: Rsc
    total_events: int
    finished_events: int
    lines: tuple[MedalLine, ...]
