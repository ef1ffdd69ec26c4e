"""Results capture: start lists, live and final results, status changes, corrections.

A venue results manager or a timing system sends a `UnitUpdate` for one unit. Capture
checks it completely before writing anything (unknown unit, impossible ResultStatus or
ScheduleStatus transition, correction without a `Note`, unknown NOC, repeated competitor,
bad rank), then in one transaction stores the unit's status and results, allocates the
medals of a medal unit when it becomes OFFICIAL, and queues the changed documents for the
feed in the end-of-unit order of §9.1.1. A refused update changes nothing.

Rule sources: ODF Foundation Principles §6.13 (statuses), §9.1.1 (end-of-unit order);
medal allocation `podium.results.allocate_medals`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from podium.core.errors import InvalidInputError, NotFoundError
from podium.diffusion.outbox import FeedItem, mark_changed
from podium.games import Discipline, Event, Noc, Unit
from podium.odf import (
    GAMES_DOCUMENT_CODE,
    ResultStatus,
    Rsc,
    ScheduleStatus,
    check_result_transition,
    check_schedule_transition,
    requires_note,
)
from podium.results import FinalRankingError, MedalError, MedalRecord, UnitEntry, final_medals
from podium.results import UnitResult as ResultRow

__all__ = ["CaptureOutcome", "CapturedMedal", "CompetitorResult", "UnitUpdate", "capture"]

IRMS = frozenset(
    {
        # ODF Common Codes, IRM, across sports
        "DNS",
        "DNF",
        "DSQ",
        "DQ",
        "DQB",
        "DNQ",
        "DNA",
        "DNC",
        "DPI",
        "LAP",
        "OTL",
        "OVL",
        "RET",
        "WDR",
        "WD",
        "W/O",
        "WO",
        "EL",
        "ELIM",
        "NM",
        "NR",
        "RT",
        "REL",
        "INJ",
        "FLT",
        # sailing penalties as scored (World Sailing Racing Rules, appendix A)
        "BFD",
        "UFD",
        "OCS",
        "RDG",
        "SCP",
        "BUW",
        # as the Paris 2024 results feed prints them
        "FS",
        "Fall",
    }
)
"""Invalid Result Marks Podium accepts (ODF Common Codes, IRM; the union of the sports')."""


class CompetitorResult(BaseModel):
    """One competitor's line: on a start list (no rank, no result) or with results.

    Attributes mirror the ODF `Result` element of `DT_RESULT`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    competitor_code: str = Field(min_length=1, max_length=40)
    competitor_type: Literal["Person", "Team"] = "Person"
    competitor_name: str = Field(min_length=1, max_length=160)
    noc: str = Field(min_length=3, max_length=3)
    rank: int | None = Field(default=None, ge=1, le=999)
    result: str | None = Field(default=None, max_length=40)
    result_type: str | None = Field(default=None, max_length=16)
    irm: str | None = Field(default=None, max_length=8)
    wlt: Literal["W", "L", "T"] | None = None
    diff: str | None = Field(default=None, max_length=40)
    qualification_mark: str | None = Field(default=None, max_length=8)
    start_order: str | None = Field(default=None, max_length=8)
    bib: str | None = Field(default=None, max_length=12)
    records: str | None = Field(default=None, max_length=40)


class CapturedMedal(BaseModel):
    """A medal awarded in the unit, when the results manager gives it explicitly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    competitor_code: str = Field(min_length=1, max_length=40)
    medal: Literal["GOLD", "SILVER", "BRONZE"]


class UnitUpdate(BaseModel):
    """A change to one unit: statuses, results, and a `Note` for a correction.

    Attributes:
        result_status: the new ResultStatus, or None to keep it.
        schedule_status: the new ScheduleStatus, or None to keep it.
        results: the unit's whole result list, or None to keep it.
        medals: the medals decided in the unit (only with OFFICIAL), or None to allocate
            them from the ranks of a medal unit.
        note: why a correction was made; required for any change after OFFICIAL.

    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    result_status: ResultStatus | None = None
    schedule_status: ScheduleStatus | None = None
    results: list[CompetitorResult] | None = None
    medals: list[CapturedMedal] | None = None
    note: str | None = Field(default=None, min_length=1, max_length=400)


class CaptureOutcome(BaseModel):
    """What a capture changed: the unit's statuses and the documents queued for the feed."""

    unit: str
    result_status: str | None
    schedule_status: str
    batch: int
    documents: list[str]


def _fail(field: str, message: str, code: str) -> InvalidInputError:
    return InvalidInputError(f"{field}: {message}", code=code)


def _check_results(session: Session, results: Sequence[CompetitorResult]) -> None:
    nocs = set(session.scalars(select(Noc.code)))
    seen: set[str] = set()
    for i, line in enumerate(results):
        where = f"results[{i}]"
        if line.competitor_code in seen:
            raise _fail(
                f"{where}.competitor_code",
                f"{line.competitor_code!r} appears twice in the unit",
                "duplicate_competitor",
            )
        seen.add(line.competitor_code)
        if line.noc not in nocs:
            raise _fail(f"{where}.noc", f"{line.noc!r} is not a NOC of the Games", "unknown_noc")
        if line.irm is not None and line.irm not in IRMS:
            raise _fail(f"{where}.irm", f"{line.irm!r} is not an IRM", "unknown_irm")


def _check(session: Session, unit: Unit, update: UnitUpdate) -> None:
    """Check an update whole: its own fields first, then against the unit's state."""
    if update.results is not None:
        _check_results(session, update.results)
    if update.result_status is not None:
        check_result_transition(unit.result_status, update.result_status)  # type: ignore[arg-type]
    if update.schedule_status is not None:
        check_schedule_transition(unit.status, update.schedule_status)  # type: ignore[arg-type]
    current = unit.result_status
    changes = update.results is not None or update.result_status is not None
    if (
        current == "OFFICIAL"
        and changes
        and requires_note("OFFICIAL", update.result_status or "OFFICIAL")
        and not update.note
    ):
        raise _fail(
            "note", "a change after OFFICIAL is a correction and needs a Note", "note_required"
        )
    if update.medals is not None:
        codes = {line.competitor_code for line in update.results or ()} or set(
            session.scalars(select(ResultRow.competitor_code).where(ResultRow.unit_rsc == unit.rsc))
        )
        for i, medal in enumerate(update.medals):
            if medal.competitor_code not in codes:
                raise _fail(
                    f"medals[{i}].competitor_code",
                    f"{medal.competitor_code!r} has no result in unit {unit.rsc}",
                    "medallist_not_in_unit",
                )
        if (update.result_status or current) != "OFFICIAL":
            raise _fail(
                "medals", "medals are awarded with OFFICIAL results only", "medals_not_official"
            )


def _store_results(session: Session, unit: Unit, results: Sequence[CompetitorResult]) -> None:
    session.execute(delete(ResultRow).where(ResultRow.unit_rsc == unit.rsc))
    for order, line in enumerate(results, start=1):
        session.add(ResultRow(unit_rsc=unit.rsc, sort_order=order, **line.model_dump()))


def _allocated(session: Session, unit: Unit) -> dict[str, str]:
    """Return the event's medals from its units' results, or {} while undecided.

    Rule source: `podium.results.final_medals` (the final format of the discipline).
    """
    units = list(session.scalars(select(Unit.rsc).where(Unit.event_rsc == unit.event_rsc)))
    rows = session.scalars(select(ResultRow).where(ResultRow.unit_rsc.in_(units)))
    entries = [
        UnitEntry(r.unit_rsc, r.competitor_code, r.rank, r.wlt, r.irm or "")  # type: ignore[arg-type]
        for r in rows
    ]
    try:
        medals = final_medals(unit.discipline_code, entries)
    except (FinalRankingError, MedalError):
        return {}  # the deciding units are not all done yet
    return {code: medal.name for code, medal in medals.items()}


def _store_medals(session: Session, unit: Unit, medals: dict[str, str], *, this_unit: bool) -> bool:
    """Replace the event's medals (or those decided in this unit); return whether any changed.

    Each medal names the event's medal unit the medallist took part in (the final, the
    bronze match), as the imported medals do.

    Args:
        session: a games-plane session.
        unit: the unit that became OFFICIAL.
        medals: medal by competitor code.
        this_unit: True when `medals` are only those decided in `unit` (given by the
            results manager); False when they are the whole event's (allocated).
    """
    event = session.get(Event, unit.event_rsc) if unit.event_rsc else None
    if event is None:
        return False
    discipline = session.get(Discipline, unit.discipline_code)
    discipline_name = discipline.name if discipline else unit.discipline_code
    event_key = f"{discipline_name}/{event.name}"
    query = select(MedalRecord).where(MedalRecord.event_key == event_key)
    if this_unit:
        query = query.where(MedalRecord.unit_rsc == unit.rsc)
    current = list(session.scalars(query))
    if {(m.competitor_code, m.medal) for m in current} == set(medals.items()):
        return False
    for record in current:
        session.delete(record)
    medal_units = list(
        session.scalars(select(Unit.rsc).where(Unit.event_rsc == event.rsc, Unit.medal > 0))
    )
    rows = {
        r.competitor_code: r
        for r in session.scalars(
            select(ResultRow)
            .where(ResultRow.unit_rsc.in_(medal_units))
            .order_by(ResultRow.unit_rsc.desc())
        )
    }
    session.flush()
    for code, medal in sorted(medals.items()):
        row = (session.get(ResultRow, (unit.rsc, code)) if this_unit else None) or rows[code]
        session.add(
            MedalRecord(
                key=f"OG2024|{event_key}|{medal}|{code}",
                competition="OG2024",
                event_key=event_key,
                event_name=event.name,
                discipline=discipline_name,
                medal=medal,
                noc=row.noc,
                competitor_code=code,
                competitor_name=row.competitor_name,
                awarded_on=unit.day,
                unit_rsc=row.unit_rsc,
            )
        )
    return True


def _apply(session: Session, unit: Unit, update: UnitUpdate) -> list[FeedItem]:
    """Store the update; return the changed documents in §9.1.1 order."""
    items: list[FeedItem] = []
    if update.schedule_status is not None and update.schedule_status != unit.status:
        unit.status = update.schedule_status
        items.append(FeedItem("DT_SCHEDULE_UPDATE", Rsc.build(unit.discipline_code), (unit.rsc,)))
    results_changed = update.results is not None or (
        update.result_status is not None and update.result_status != unit.result_status
    )
    if update.result_status is not None:
        unit.result_status = update.result_status
    if update.note is not None:
        unit.note = update.note
    if update.results is not None:
        _store_results(session, unit, update.results)
    session.flush()
    if results_changed:
        items.append(FeedItem("DT_RESULT", unit.rsc))
        if unit.phase_rsc:
            items.append(FeedItem("DT_PHASE_RESULT", unit.phase_rsc))
    if unit.result_status == "OFFICIAL" and unit.medal and unit.event_rsc:
        given = update.medals is not None
        medals: dict[str, str] = (
            {m.competitor_code: m.medal for m in update.medals or ()}
            if given
            else _allocated(session, unit)
        )
        # Undecided (too few ranked, a bracket unit still to come): the medals already
        # held stay; only medals given explicitly can take medals away.
        if (given or medals) and _store_medals(session, unit, medals, this_unit=given):
            items.append(FeedItem("DT_MEDALLISTS", unit.event_rsc))
            items.append(FeedItem("DT_MEDALS", GAMES_DOCUMENT_CODE))
        if results_changed:
            items.append(FeedItem("DT_RANKING", unit.event_rsc))
    return items


def capture(session: Session, unit_rsc: str, update: UnitUpdate, now: datetime) -> CaptureOutcome:
    """Apply one update to a unit and queue its feed messages, in the caller's transaction.

    Args:
        session: a games-plane session; commit it to accept the update.
        unit_rsc: the unit's 34-character RSC.
        update: what changes.
        now: the capture time (aware).

    Returns:
        The unit's new statuses and the documents queued, in send order.

    Raises:
        NotFoundError: `unit_not_found`.
        InvalidTransitionError: `result_status_transition` or `schedule_status_transition`.
        InvalidInputError: `note_required`, `duplicate_competitor`, `unknown_noc`,
            `unknown_irm`, `medallist_not_in_unit`, `medals_not_official`; the message
            names the field (`results[3].noc`).

    """
    unit = session.get(Unit, unit_rsc)
    if unit is None:
        raise NotFoundError(f"unit {unit_rsc!r}: no such unit", code="unit_not_found")
    _check(session, unit, update)
    items = _apply(session, unit, update)
    batch = mark_changed(session, items, now) if items else 0
    return CaptureOutcome(
        unit=unit.rsc,
        result_status=unit.result_status,
        schedule_status=unit.status,
        batch=batch,
        documents=[f"{i.document_type} {i.document_code}" for i in items],
    )
