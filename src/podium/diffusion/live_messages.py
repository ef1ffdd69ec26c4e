"""Build the current state of one document for the live feed, with a given Version.

The feed engine calls `build_document` for each queued document. `DT_RESULT`,
`DT_MEDALLISTS` and `DT_MEDALS` are the messages of `results_messages` at the unit's live
ResultStatus; `DT_SCHEDULE_UPDATE`, `DT_PHASE_RESULT` and `DT_RANKING` are built here.
None means the document has no content now (a start list withdrawn, a medal annulled):
the engine then invalidates what it sent before.

Rule sources: ODF Foundation Principles, message catalogue (DT_SCHEDULE_UPDATE,
DT_PHASE_RESULT, DT_RANKING); the final ranking is `podium.results.final_ranking`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.diffusion.feed import OdfMessageFile
from podium.diffusion.results_messages import (
    medallist_messages,
    medals_messages,
    result_line,
    result_messages,
    rosters_of,
)
from podium.diffusion.schedule_messages import schedule_messages, schedule_units
from podium.games import Unit
from podium.odf import (
    EventRanking,
    FeedContext,
    PhaseResult,
    ResultLine,
    Rsc,
    ScheduleUpdate,
    build_phase_result,
    build_ranking,
    build_schedule_update,
)
from podium.people import Participant as ParticipantRow
from podium.results import FinalRankingError, UnitEntry, final_ranking
from podium.results import UnitResult as ResultRow

__all__ = ["DocumentRequest", "build_document", "build_documents"]

_AT_LEAST = ("START_LIST", "LIVE", "INTERMEDIATE", "UNCONFIRMED", "UNOFFICIAL", "OFFICIAL")


def _phase_status(statuses: list[str]) -> str:
    """Return a phase's ResultStatus: OFFICIAL when every unit is, else how far all got."""
    if all(s == "OFFICIAL" for s in statuses):
        return "OFFICIAL"
    if all(s in {"UNOFFICIAL", "OFFICIAL"} for s in statuses):
        return "UNOFFICIAL"
    return "INTERMEDIATE"


def _genders(session: Session, rows: list[ResultRow]) -> dict[str, str]:
    codes = {r.competitor_code for r in rows}
    query = select(ParticipantRow.code, ParticipantRow.gender).where(ParticipantRow.code.in_(codes))
    return dict(session.execute(query).all())


def _lines(session: Session, rows: list[ResultRow]) -> list[ResultLine]:
    genders = _genders(session, rows)
    rosters = rosters_of(session, {r.competitor_code for r in rows if r.competitor_type == "Team"})
    return [result_line(r, i + 1, genders, rosters) for i, r in enumerate(rows)]


def _phase_result(
    session: Session, context: FeedContext, code: str, version: int
) -> OdfMessageFile | None:
    """DT_PHASE_RESULT: every competitor of the phase, by unit rank then unit order.

    A phase of one unit gives that unit's ranks; across several units (heats) the lines
    keep each unit's rank order and carry no phase rank: comparing results across heats
    needs each sport's rules, which Podium does not hold yet.
    """
    units = list(
        session.scalars(
            select(Unit).where(Unit.phase_rsc == code).order_by(Unit.starts_at, Unit.rsc)
        )
    )
    statuses = [u.result_status or "OFFICIAL" for u in units]
    order = {u.rsc: i for i, u in enumerate(units)}
    rows = list(session.scalars(select(ResultRow).where(ResultRow.unit_rsc.in_(order))))
    if not rows or all(r.rank is None and r.result is None and r.irm is None for r in rows):
        return None
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, order[r.unit_rsc], r.sort_order))
    lines = _lines(session, rows)
    if len(units) > 1:
        lines = [replace(line, rank=None) for line in lines]
    header = context.stamp(
        "DT_PHASE_RESULT",
        code,
        version,
        result_status=_phase_status(statuses),  # type: ignore[arg-type]
    )
    message = build_phase_result(header, PhaseResult(Rsc(code), tuple(lines)))
    return OdfMessageFile("DT_PHASE_RESULT", code, message, header)


def _ranking(
    session: Session, context: FeedContext, code: str, version: int
) -> OdfMessageFile | None:
    """DT_RANKING: the event's final ranking once its deciding units have results."""
    units = {u.rsc: u for u in session.scalars(select(Unit).where(Unit.event_rsc == code))}
    rows = list(session.scalars(select(ResultRow).where(ResultRow.unit_rsc.in_(units))))
    entries = [
        UnitEntry(r.unit_rsc, r.competitor_code, r.rank, r.wlt, r.irm or "")  # type: ignore[arg-type]
        for r in rows
    ]
    try:
        places = final_ranking(code[:3], entries)
    except FinalRankingError:
        return None  # the deciding units have no results yet
    if not places:
        return None
    best: dict[str, ResultRow] = {}
    for row in sorted(rows, key=lambda r: units[r.unit_rsc].starts_at):
        best[row.competitor_code] = row  # the competitor's latest unit of the event
    ranked = [p for p in places if p.participant_code in best]
    deciding = {best[p.participant_code].unit_rsc for p in ranked}
    status = (
        "OFFICIAL"
        if all((units[u].result_status or "OFFICIAL") == "OFFICIAL" for u in deciding)
        else "UNOFFICIAL"
    )
    lines = _lines(session, [best[p.participant_code] for p in ranked])
    lines = [
        replace(line, rank=str(p.rank) if p.rank else None, sort_order=i + 1)
        for i, (line, p) in enumerate(zip(lines, ranked, strict=True))
    ]
    header = context.stamp("DT_RANKING", code, version, result_status=status)  # type: ignore[arg-type]
    message = build_ranking(header, EventRanking(Rsc(code), tuple(lines)))
    return OdfMessageFile("DT_RANKING", code, message, header)


def _schedule_update(
    session: Session, context: FeedContext, code: str, units: tuple[str, ...], version: int
) -> OdfMessageFile | None:
    changed = schedule_units(session, units)
    if not changed:
        return None
    header = context.stamp("DT_SCHEDULE_UPDATE", code, version)
    message = build_schedule_update(header, ScheduleUpdate(Rsc(code), tuple(changed)))
    return OdfMessageFile("DT_SCHEDULE_UPDATE", code, message, header)


_Generated = Callable[[Session, FeedContext, str, int], Iterator[OdfMessageFile]]

_GENERATED: dict[str, _Generated] = {
    "DT_RESULT": result_messages,
    "DT_MEDALLISTS": medallist_messages,
    "DT_MEDALS": medals_messages,
    "DT_SCHEDULE": schedule_messages,
}


def build_document(  # noqa: PLR0913, PLR0917 - the engine's `Builder` signature
    session: Session,
    context: FeedContext,
    document_type: str,
    document_code: str,
    units: tuple[str, ...],
    version: int,
) -> OdfMessageFile | None:
    """Build the current state of one document, or None when it has no content.

    Args:
        session: a games-plane session.
        context: the feed's context; its clock dates the header.
        document_type: `DT_SCHEDULE_UPDATE`, `DT_RESULT`, `DT_PHASE_RESULT`,
            `DT_MEDALLISTS`, `DT_MEDALS`, `DT_RANKING` or `DT_SCHEDULE`.
        document_code: the 34-character DocumentCode.
        units: for `DT_SCHEDULE_UPDATE`, the changed units.
        version: the header's Version.

    Raises:
        ValueError: for a DocumentType the feed does not build.

    """
    if document_type == "DT_SCHEDULE_UPDATE":
        return _schedule_update(session, context, document_code, units, version)
    if document_type == "DT_PHASE_RESULT":
        return _phase_result(session, context, document_code, version)
    if document_type == "DT_RANKING":
        return _ranking(session, context, document_code, version)
    generated = _GENERATED.get(document_type)
    if generated is None:
        msg = f"document_type {document_type!r}: not built by the live feed"
        raise ValueError(msg)
    return next(
        (
            m
            for m in generated(session, context, document_code, version)
            if m.document_code == document_code
        ),
        None,
    )


@dataclass(frozen=True, slots=True)
class DocumentRequest:
    """One document the engine wants built: which, for which units, with which Version.

    Args:
        document_type: the DocumentType.
        document_code: the DocumentCode.
        units: for `DT_SCHEDULE_UPDATE`, the changed units.
        version: the header's Version.

    """

    document_type: str
    document_code: str
    units: tuple[str, ...]
    version: int


def build_documents(
    session: Session, context: FeedContext, requests: Sequence[DocumentRequest]
) -> list[OdfMessageFile | None]:
    """Build many documents, in request order: `DT_RESULT`s together in four queries.

    Args:
        session: a games-plane session.
        context: the feed's context.
        requests: the documents.

    Raises:
        ValueError: for a DocumentType the feed does not build.

    """
    results = {r.document_code: r.version for r in requests if r.document_type == "DT_RESULT"}
    built = (
        {m.document_code: m for m in result_messages(session, context, versions=results)}
        if results
        else {}
    )
    return [
        built.get(r.document_code)
        if r.document_type == "DT_RESULT"
        else build_document(session, context, r.document_type, r.document_code, r.units, r.version)
        for r in requests
    ]
