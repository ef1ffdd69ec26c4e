"""Build the ODF messages of the Games from the games plane.

The pure builders of `podium.odf` take models; this module reads the database through
the domains' queries and fills those models: `DT_SCHEDULE` per discipline, `DT_RESULT`
per unit with results, `DT_MEDALLISTS` per event, `DT_MEDALS` for the Games and
`DT_PARTIC` per discipline (ODF Foundation Principles, message catalogue).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.core.clock import Clock, system_clock
from podium.games import Discipline, Event, Noc, Unit, Venue
from podium.odf import (
    GAMES_DOCUMENT_CODE,
    Athlete,
    Competitor,
    EventMedallists,
    FeedContext,
    LocalName,
    MedalAward,
    MedalLine,
    MedalStandings,
    Participant,
    ParticipantList,
    RecordMark,
    ResultLine,
    Rsc,
    Schedule,
    ScheduleUnit,
    UnitResult,
    build_medallists,
    build_medals,
    build_partic,
    build_result,
    build_schedule,
)
from podium.people import Participant as ParticipantRow
from podium.results import MedalRecord, medal_table
from podium.results import UnitResult as ResultRow

__all__ = [
    "OdfMessageFile",
    "build_message",
    "feed_context",
    "iter_messages",
    "message_index",
    "record_marks",
]

PARIS = ZoneInfo("Europe/Paris")
_STATUSES = {"FINISHED", "CANCELLED", "SCHEDULED", "RUNNING", "DELAYED", "POSTPONED"}
_MEDALS = {"GOLD": "ME_GOLD", "SILVER": "ME_SILVER", "BRONZE": "ME_BRONZE"}


@dataclass(frozen=True, slots=True)
class OdfMessageFile:
    """One built message: its DocumentType, DocumentCode and XML bytes."""

    document_type: str
    document_code: str
    content: bytes


def feed_context(clock: Clock = system_clock, source: str = "PODIUM") -> FeedContext:
    """Return the feed context of the Paris 2024 Olympic Games (local time Europe/Paris)."""
    return FeedContext(
        competition_code="OG2024",
        source=source,
        local_tz=PARIS,
        gen="OG2024-GEN-1.0",
        codes="OG2024-1.0",
        clock=clock,
    )


# ODF PhaseType is the kind of schedule item, as the real Paris 2024 schedules use it:
# 3 a competition unit, 1 a training, 4 a meeting, 6 a victory ceremony, 7 a draw, 0 the
# opening and closing ceremonies (CER-OPENING, CER-CLOSING). Every
# item Podium schedules is a competition unit except the ceremonies.
_COMPETITION, _CEREMONY = "3", "0"


def _schedule_unit(unit: Unit, venues: dict[str, str]) -> ScheduleUnit:
    venue = unit.venue_code
    code = Rsc(unit.rsc)
    return ScheduleUnit(
        code=code,
        phase_type=_CEREMONY if code.startswith("CER") else _COMPETITION,
        status=unit.status if unit.status in _STATUSES else "SCHEDULED",  # type: ignore[arg-type]
        names=(LocalName("ENG", unit.name),),
        start=unit.starts_at.astimezone(PARIS),
        end=unit.ends_at.astimezone(PARIS) if unit.ends_at else None,
        venue=venue,
        location=unit.location_code or venue if venue else None,
        venue_name=venues.get(venue) if venue else None,
        session_code=unit.session_code,
        medal=unit.medal or None,
        order=unit.order,
    )


def _as_of(context: FeedContext, moment: datetime) -> FeedContext:
    """Return the context stamped at `moment`, unless the context's clock is earlier.

    A message is dated when what it describes happened (a result when its unit ended), so
    exporting the past Games gives the same headers, `LogicalDate`s and file names every
    time; a live message, describing now, is dated now. Never later than the clock.
    """
    now = context.clock()
    stamp = min(moment, now)
    return replace(context, clock=lambda: stamp)


def _evening(day: date) -> datetime:
    """Return 23:00 Paris time of a competition day: when a day's medals are all known."""
    return datetime.combine(day, time(23, 0), tzinfo=PARIS)


def _schedules(
    session: Session, context: FeedContext, code: str | None = None
) -> Iterator[OdfMessageFile]:
    venues = dict(session.execute(select(Venue.code, Venue.name)).all())
    by_discipline: dict[str, list[ScheduleUnit]] = defaultdict(list)
    query = select(Unit).order_by(Unit.starts_at, Unit.rsc)
    if code is not None:
        query = query.where(Unit.discipline_code == code[:3])
    last: dict[str, datetime] = {}
    for unit in session.scalars(query):
        by_discipline[unit.discipline_code].append(_schedule_unit(unit, venues))
        last[unit.discipline_code] = max(
            last.get(unit.discipline_code, unit.starts_at), unit.starts_at
        )
    for discipline_code, units in sorted(by_discipline.items()):
        discipline = Rsc.build(discipline_code)
        stamped = _as_of(context, last[discipline_code])
        header = stamped.stamp("DT_SCHEDULE", discipline, 1)
        message = build_schedule(header, Schedule(discipline, tuple(units)))
        yield OdfMessageFile("DT_SCHEDULE", discipline, message)


_GENDERS = {"M": "M", "W": "F", "X": "X"}


def _split_name(printed: str) -> tuple[str, str | None]:
    """Split `FAMILY Given` into family and given names (family names are upper case)."""
    words = printed.split()
    family = [w for w in words if w.isupper() or not w.isalpha()] or words[:1]
    given = [w for w in words if w not in family]
    return " ".join(family), " ".join(given) or None


def _competitor(row: ResultRow, genders: dict[str, str]) -> Competitor:
    if row.competitor_type == "Team":
        return Competitor(
            code=row.competitor_code, type="T", organisation=row.noc, team_name=row.competitor_name
        )
    family, given = _split_name(row.competitor_name)
    gender = _GENDERS.get(genders.get(row.competitor_code, row.unit_rsc[3]), "X")
    athlete = Athlete(
        code=row.competitor_code,
        family_name=family,
        gender=gender,  # type: ignore[arg-type]
        organisation=row.noc,
        given_name=given,
    )
    return Competitor.individual(athlete)


def record_marks(records: str | None) -> tuple[RecordMark, ...]:
    """Turn `WR,=OR` into ODF record marks: a leading `=` marks a record equalled.

    Args:
        records: comma-separated record codes in importance order, or None.
    """
    marks = []
    for order, code in enumerate(c.strip() for c in (records or "").split(",") if c.strip()):
        plain = code.lstrip("=")
        marks.append(RecordMark(plain, plain, order + 1, equalled=code.startswith("=")))
    return tuple(marks)


def _results(
    session: Session, context: FeedContext, code: str | None = None
) -> Iterator[OdfMessageFile]:
    rows: dict[str, list[ResultRow]] = defaultdict(list)
    query = select(ResultRow).order_by(ResultRow.unit_rsc, ResultRow.sort_order)
    people = select(ParticipantRow.code, ParticipantRow.gender)
    if code is not None:
        query = query.where(ResultRow.unit_rsc == code)
        competitors = select(ResultRow.competitor_code).where(ResultRow.unit_rsc == code)
        people = people.where(ParticipantRow.code.in_(competitors))
    genders = dict(session.execute(people).all())
    for row in session.scalars(query):
        rows[row.unit_rsc].append(row)
    times = select(Unit.rsc, Unit.starts_at, Unit.ends_at)
    if code is not None:
        times = times.where(Unit.rsc == code)
    ended = {rsc: end or start for rsc, start, end in session.execute(times)}
    for unit_rsc, lines in rows.items():
        result = UnitResult(
            unit=Rsc(unit_rsc),
            lines=tuple(
                ResultLine(
                    competitor=_competitor(r, genders),
                    rank=str(r.rank) if r.rank is not None else None,
                    result=r.result,
                    result_type=r.result_type,
                    irm=r.irm,
                    qualification_mark=r.qualification_mark,
                    sort_order=i + 1,
                    start_order=r.start_order,
                    records=record_marks(r.records),
                )
                for i, r in enumerate(lines)
            ),
        )
        stamped = _as_of(context, ended[unit_rsc])
        header = stamped.stamp("DT_RESULT", unit_rsc, 1, result_status="OFFICIAL")
        yield OdfMessageFile("DT_RESULT", unit_rsc, build_result(header, result))


def _event_rscs(session: Session) -> dict[str, Rsc]:
    """Map the medal files' `discipline/event` keys to event RSCs, by names."""
    names = dict(session.execute(select(Discipline.code, Discipline.name)).all())
    return {
        f"{names.get(e.discipline_code, e.discipline_code)}/{e.name}": Rsc(e.rsc)
        for e in session.scalars(select(Event))
    }


def _medallists(
    session: Session, context: FeedContext, code: str | None = None
) -> Iterator[OdfMessageFile]:
    """One DT_MEDALLISTS per event whose medal-file key matches an event of the schedule.

    The medal files name events, not units: the award's unit is given at event level.
    """
    events = _event_rscs(session)
    awards: dict[Rsc, list[MedalAward]] = defaultdict(list)
    query = select(MedalRecord).where(MedalRecord.competition == "OG2024")
    if code is not None:
        keys = [key for key, event in events.items() if event == code]
        query = query.where(MedalRecord.event_key.in_(keys))
    for record in session.scalars(query.order_by(MedalRecord.key)):
        event = events.get(record.event_key)
        if event is None:
            continue
        family, given = _split_name(record.competitor_name)
        athlete = Athlete(
            code=record.competitor_code or record.key,
            family_name=family,
            gender=_GENDERS.get(event[3], "X"),  # type: ignore[arg-type]
            organisation=record.noc,
            given_name=given,
        )
        awards[event].append(
            MedalAward(
                medal=_MEDALS[record.medal],  # type: ignore[arg-type]
                date=record.awarded_on,
                unit=event,
                competitors=(Competitor.individual(athlete),),
            )
        )
    for event, items in sorted(awards.items()):
        stamped = _as_of(context, _evening(max(a.date for a in items)))
        header = stamped.stamp("DT_MEDALLISTS", event, 1, result_status="OFFICIAL")
        message = build_medallists(header, EventMedallists(event, tuple(items)))
        yield OdfMessageFile("DT_MEDALLISTS", event, message)


def _medals(
    session: Session, context: FeedContext, code: str | None = None
) -> Iterator[OdfMessageFile]:
    if code not in (None, GAMES_DOCUMENT_CODE):
        return
    standings = medal_table(session, "OG2024")
    events = _event_rscs(session)
    latest = session.execute(
        select(MedalRecord.event_key, MedalRecord.awarded_on)
        .where(MedalRecord.competition == "OG2024")
        .order_by(MedalRecord.awarded_on.desc(), MedalRecord.event_key.desc())
    ).first()
    if not standings or latest is None or latest[0] not in events:
        return  # nothing imported yet: no medal table to publish
    names = dict(session.execute(select(Noc.code, Noc.long_name)).all())
    finished = session.scalar(
        select(func.count(MedalRecord.event_key.distinct())).where(
            MedalRecord.competition == "OG2024"
        )
    )
    by_total = sorted(standings, key=lambda s: -s.total)
    rank_total = {s.noc: 1 + sum(1 for o in standings if o.total > s.total) for s in standings}
    sort_total = {s.noc: i + 1 for i, s in enumerate(by_total)}
    lines = tuple(
        MedalLine(
            organisation=s.noc,
            organisation_name=names.get(s.noc, s.noc),
            gold=s.gold,
            silver=s.silver,
            bronze=s.bronze,
            rank=s.rank,
            rank_total=rank_total[s.noc],
            sort_rank=i + 1,
            sort_rank_total=sort_total[s.noc],
        )
        for i, s in enumerate(standings)
    )
    stamped = _as_of(context, _evening(latest[1]))
    table = MedalStandings(
        as_of=stamped.clock(),
        last_event=events[latest[0]],
        total_events=session.scalar(select(func.count()).select_from(Event)) or 0,
        finished_events=finished or 0,
        lines=lines,
    )
    header = stamped.stamp("DT_MEDALS", GAMES_DOCUMENT_CODE, 1, result_status="OFFICIAL")
    yield OdfMessageFile("DT_MEDALS", GAMES_DOCUMENT_CODE, build_medals(header, table))


def _partic(
    session: Session, context: FeedContext, code: str | None = None
) -> Iterator[OdfMessageFile]:
    by_discipline: dict[str, list[Participant]] = defaultdict(list)
    query = select(ParticipantRow).where(ParticipantRow.role == "athlete")
    if code is not None:
        query = query.where(ParticipantRow.disciplines.contains(code[:3]))
    for person in session.scalars(query.order_by(ParticipantRow.code)):
        if not person.disciplines or person.noc is None:
            continue
        family, given = _split_name(person.printed_name)
        events = tuple(Rsc.build(e[:3], e[3], e[4:]) for e in (person.events or "").split(",") if e)
        for discipline_code in person.disciplines.split(","):
            if code is not None and discipline_code != code[:3]:
                continue
            by_discipline[discipline_code].append(
                Participant(
                    code=person.code,
                    family_name=family,
                    gender=_GENDERS.get(person.gender, "X"),  # type: ignore[arg-type]
                    organisation=person.noc,
                    print_name=person.printed_name,
                    print_initial_name=f"{family} {given[0]}" if given else family,
                    tv_name=person.tv_name or person.printed_name,
                    tv_initial_name=f"{given[0]}. {family}" if given else family,
                    tv_family_name=family,
                    discipline=Rsc.build(discipline_code),
                    given_name=given,
                    events=tuple(e for e in events if e.startswith(discipline_code)),
                    main_function_id="AA01",
                )
            )
    first = dict(
        session.execute(
            select(Unit.discipline_code, func.min(Unit.starts_at)).group_by(Unit.discipline_code)
        ).all()
    )
    for discipline_code, people in sorted(by_discipline.items()):
        discipline = Rsc.build(discipline_code)
        opening = first.get(discipline_code)
        stamped = _as_of(context, opening) if opening else context
        header = stamped.stamp("DT_PARTIC", discipline, 1)
        message = build_partic(header, ParticipantList(discipline, tuple(people)))
        yield OdfMessageFile("DT_PARTIC", discipline, message)


def iter_messages(session: Session, context: FeedContext) -> Iterator[OdfMessageFile]:
    """Yield every ODF message of the Games, in the end-of-day order of a full refresh.

    Args:
        session: a games-plane session.
        context: the feed's context (CompetitionCode, Source, clock).
    """
    yield from _schedules(session, context)
    yield from _results(session, context)
    yield from _medallists(session, context)
    yield from _medals(session, context)
    yield from _partic(session, context)


_BUILDERS = {
    "DT_SCHEDULE": _schedules,
    "DT_RESULT": _results,
    "DT_MEDALLISTS": _medallists,
    "DT_MEDALS": _medals,
    "DT_PARTIC": _partic,
}
"""The message types Podium publishes, each with the function that builds them."""


def build_message(
    session: Session, context: FeedContext, document_type: str, document_code: str
) -> OdfMessageFile | None:
    """Build one message by DocumentType and DocumentCode, or None when there is none.

    Args:
        session: a games-plane session.
        context: the feed's context.
        document_type: `DT_SCHEDULE`, `DT_RESULT`, `DT_MEDALLISTS`, `DT_MEDALS` or `DT_PARTIC`.
        document_code: the 34-character DocumentCode (discipline, unit, event or Games).
    """
    builder = _BUILDERS.get(document_type)
    if builder is None or len(document_code) != 34:
        return None
    return next(
        (m for m in builder(session, context, document_code) if m.document_code == document_code),
        None,
    )


def message_index(session: Session) -> list[tuple[str, str]]:
    """List every message Podium publishes as (DocumentType, DocumentCode), without building.

    Args:
        session: a games-plane session.
    """
    disciplines = sorted(set(session.scalars(select(Unit.discipline_code))))
    units = sorted(set(session.scalars(select(ResultRow.unit_rsc))))
    keys = set(
        session.scalars(select(MedalRecord.event_key).where(MedalRecord.competition == "OG2024"))
    )
    events = sorted({event for key, event in _event_rscs(session).items() if key in keys})
    entered = session.scalars(
        select(ParticipantRow.disciplines).where(
            ParticipantRow.role == "athlete", ParticipantRow.noc.is_not(None)
        )
    )
    partic = sorted({d for text in entered if text for d in text.split(",")})
    return (
        [("DT_SCHEDULE", Rsc.build(d)) for d in disciplines]
        + [("DT_RESULT", u) for u in units]
        + [("DT_MEDALLISTS", e) for e in events]
        + [("DT_MEDALS", GAMES_DOCUMENT_CODE)]
        + [("DT_PARTIC", Rsc.build(d)) for d in partic]
    )
