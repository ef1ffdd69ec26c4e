"""`DT_SCHEDULE` per discipline and `DT_PARTIC` per discipline, from the games plane."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.diffusion.feed import GENDERS, PARIS, OdfMessageFile, as_of, split_name
from podium.games import Unit, Venue
from podium.odf import (
    SCHEDULE_STATUSES,
    FeedContext,
    LocalName,
    Participant,
    ParticipantList,
    Rsc,
    Schedule,
    ScheduleUnit,
    build_partic,
    build_schedule,
)
from podium.people import Participant as ParticipantRow

__all__ = ["partic_messages", "schedule_messages", "schedule_units"]


_STATUSES = SCHEDULE_STATUSES
"""ODF ScheduleStatus values (schema `scheduleStatusType`); anything else reads SCHEDULED."""


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


def schedule_units(session: Session, rscs: Iterable[str]) -> list[ScheduleUnit]:
    """Return the ODF schedule units of the given RSCs, in start order.

    Args:
        session: a games-plane session.
        rscs: unit RSCs.
    """
    venues = dict(session.execute(select(Venue.code, Venue.name)).all())
    query = select(Unit).where(Unit.rsc.in_(list(rscs))).order_by(Unit.starts_at, Unit.rsc)
    return [_schedule_unit(unit, venues) for unit in session.scalars(query)]


def schedule_messages(
    session: Session, context: FeedContext, code: str | None = None, version: int = 1
) -> Iterator[OdfMessageFile]:
    """Yield one DT_SCHEDULE per discipline (or only `code`'s), units in start order.

    Each is dated at the start of the discipline's last unit (see `as_of`).
    """
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
        stamped = as_of(context, last[discipline_code])
        header = stamped.stamp("DT_SCHEDULE", discipline, version)
        message = build_schedule(header, Schedule(discipline, tuple(units)))
        yield OdfMessageFile("DT_SCHEDULE", discipline, message, header)


def partic_messages(
    session: Session, context: FeedContext, code: str | None = None
) -> Iterator[OdfMessageFile]:
    """Yield one DT_PARTIC per discipline (or only `code`'s): its athletes and their events.

    Published identity only (printed and TV names, NOC, gender): birth dates stay in the
    sovereign plane. Dated at the start of the discipline's first unit.
    """
    by_discipline: dict[str, list[Participant]] = defaultdict(list)
    query = select(ParticipantRow).where(ParticipantRow.role == "athlete")
    if code is not None:
        query = query.where(ParticipantRow.disciplines.contains(code[:3]))
    for person in session.scalars(query.order_by(ParticipantRow.code)):
        if not person.disciplines or person.noc is None:
            continue
        family, given = split_name(person.printed_name)
        events = tuple(Rsc.build(e[:3], e[3], e[4:]) for e in (person.events or "").split(",") if e)
        for discipline_code in person.disciplines.split(","):
            if code is not None and discipline_code != code[:3]:
                continue
            by_discipline[discipline_code].append(
                Participant(
                    code=person.code,
                    family_name=family,
                    gender=GENDERS.get(person.gender, "X"),  # type: ignore[arg-type]
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
        stamped = as_of(context, opening) if opening else context
        header = stamped.stamp("DT_PARTIC", discipline, 1)
        message = build_partic(header, ParticipantList(discipline, tuple(people)))
        yield OdfMessageFile("DT_PARTIC", discipline, message)
