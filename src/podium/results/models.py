"""Results and medals tables (games plane)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase

__all__ = ["MedalRecord", "UnitResult"]

_C = DataCategory.COMPETITION
_PUB = DataCategory.PUBLISHED_IDENTITY


class UnitResult(GamesBase):
    """One competitor's result in a unit (ODF `Result` element of `DT_RESULT`).

    Attributes:
        unit_rsc: the unit's RSC.
        competitor_code: ODF code of the athlete or team.
        competitor_type: `Person` or `Team`.
        rank: official rank, None on IRM rows and head-to-head units.
        result: result value as published (`9.79`, `3:10.61`, `8796`).
        result_type: TIME, POINTS, DISTANCE, SCORE, ...
        irm: Invalid Result Mark (DNS, DNF, DSQ, ...), ODF §6.10.
        wlt: W, L or T for head-to-head units.
        records: record marks set or equalled, comma-separated in importance order
            (`WR,OR`; `=OR` for equalled); the Paris 2024 files carry none.
        start_order: start order or position: `1`, `2`, or a corner (`RED`, `BLUE`).

    """

    __tablename__ = "unit_result"

    unit_rsc: Mapped[str] = column(_C, ForeignKey("unit.rsc"), primary_key=True)
    competitor_code: Mapped[str] = column(
        _C, String(40), primary_key=True, info={"subject_link": "competitor"}
    )
    competitor_type: Mapped[str] = column(_C, String(8))
    competitor_name: Mapped[str] = column(_PUB, String(160))
    noc: Mapped[str] = column(_PUB, ForeignKey("noc.code"), index=True)
    rank: Mapped[int | None] = column(_C, Integer)
    result: Mapped[str | None] = column(_C, String(40))
    result_type: Mapped[str | None] = column(_C, String(16))
    irm: Mapped[str | None] = column(_C, String(8))
    wlt: Mapped[str | None] = column(_C, String(1))
    diff: Mapped[str | None] = column(_C, String(40))
    qualification_mark: Mapped[str | None] = column(_C, String(8))
    start_order: Mapped[str | None] = column(_C, String(8))
    bib: Mapped[str | None] = column(_C, String(12))
    records: Mapped[str | None] = column(_C, String(40))
    sort_order: Mapped[int] = column(_C, Integer)


class MedalRecord(GamesBase):
    """One medal awarded: a row per medal, a team medal once.

    Attributes:
        key: `competition|event_key|medal|competitor_code`, stable across imports.
        competition: `OG2024` or `PG2024` (ODF CompetitionCode).
        event_key: event-level RSC where known, else the source's event URL.
        medal: `GOLD`, `SILVER` or `BRONZE`.
        noc: NOC code of the medallist or team.
        unit_rsc: the unit where the medal was decided, when the source's URL names a
            known unit (the final, the bronze match).

    """

    __tablename__ = "medal"

    key: Mapped[str] = column(_C, String(300), primary_key=True)
    competition: Mapped[str] = column(_C, String(8), index=True)
    event_key: Mapped[str] = column(_C, String(200), index=True)
    event_name: Mapped[str] = column(_C, String(160))
    discipline: Mapped[str] = column(_C, String(80))
    medal: Mapped[str] = column(_C, String(6))
    noc: Mapped[str] = column(_PUB, String(3), index=True)
    competitor_code: Mapped[str | None] = column(
        _C, String(40), info={"subject_link": "competitor"}
    )
    competitor_name: Mapped[str] = column(_PUB, String(160))
    awarded_on: Mapped[date] = column(_C, Date)
    unit_rsc: Mapped[str | None] = column(_C, String(34))
