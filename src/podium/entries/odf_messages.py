"""ODF messages made from the entries: DT_PARTIC, DT_PARTIC_TEAMS and DT_ENTRIES.

Published identity only (names as printed, NOC, gender): birth dates stay in the
sovereign plane. The builders are the pure ones of `podium.odf`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from sqlalchemy import select

from podium.core.errors import InvalidInputError, NotFoundError
from podium.entries.lookup import event_info
from podium.entries.models import Entry, EntryStatus
from podium.entries.queries import start_order_key
from podium.odf import (
    EntryAthlete,
    EntryLine,
    EntryList,
    Participant,
    ParticipantList,
    ParticipantTeam,
    Rsc,
    TeamList,
    build_entries,
    build_partic,
    build_partic_teams,
)
from podium.people import Participant as ParticipantRow
from podium.people import Team, TeamMember

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from podium.odf import FeedContext

__all__ = ["ENTRY_DOCUMENT_TYPES", "entries_odf", "split_printed_name"]

ENTRY_DOCUMENT_TYPES = ("DT_PARTIC", "DT_PARTIC_TEAMS", "DT_ENTRIES")
"""The ODF messages the entries make: code is a discipline (the first two) or an event."""

_ODF_GENDER = {"M": "M", "W": "F", "X": "X"}


def split_printed_name(printed: str) -> tuple[str, str | None]:
    """Split `FAMILY Given` into family and given names (family words are upper case)."""
    words = printed.split()
    family = [w for w in words if not any(c.islower() for c in w)]
    given = [w for w in words if any(c.islower() for c in w)]
    if not family:
        return printed, None
    return " ".join(family), " ".join(given) or None


def _event_rsc(code: str) -> Rsc:
    return Rsc.build(code[:3], code[3], code[4:])


def _participant(person: ParticipantRow, discipline: str, events: list[str]) -> Participant:
    family, given = split_printed_name(person.printed_name)
    return Participant(
        code=person.code,
        family_name=family,
        gender=_ODF_GENDER.get(person.gender, "X"),  # type: ignore[arg-type]
        organisation=person.noc or person.organisation,
        print_name=person.printed_name,
        print_initial_name=f"{family} {given[0]}" if given else family,
        tv_name=person.tv_name or person.printed_name,
        tv_initial_name=f"{given[0]}. {family}" if given else family,
        tv_family_name=family,
        discipline=Rsc.build(discipline),
        given_name=given,
        events=tuple(_event_rsc(e) for e in sorted(events)),
        main_function_id="AA01",
    )


def _entered(games: Session, discipline: str) -> list[Entry]:
    return list(
        games.scalars(
            select(Entry)
            .where(Entry.status == EntryStatus.ENTERED, Entry.event_code.startswith(discipline))
            .order_by(Entry.id)
        )
    )


def partic(games: Session, context: FeedContext, discipline: str) -> bytes:
    """Build DT_PARTIC of a discipline: each entered athlete with the events entered."""
    events: defaultdict[str, list[str]] = defaultdict(list)
    for entry in _entered(games, discipline):
        if entry.participant_code is not None:
            events[entry.participant_code].append(entry.event_code)
    people = games.scalars(
        select(ParticipantRow)
        .where(ParticipantRow.code.in_(list(events)))
        .order_by(ParticipantRow.code)
    )
    payload = ParticipantList(
        Rsc.build(discipline),
        tuple(_participant(p, discipline, events[p.code]) for p in people),
    )
    header = context.stamp("DT_PARTIC", str(payload.discipline), 1)
    return build_partic(header, payload)


def partic_teams(games: Session, context: FeedContext, discipline: str) -> bytes:
    """Build DT_PARTIC_TEAMS of a discipline: each entered team with its events."""
    events: defaultdict[str, list[str]] = defaultdict(list)
    for entry in _entered(games, discipline):
        if entry.team_code is not None:
            events[entry.team_code].append(entry.event_code)
    teams = games.scalars(select(Team).where(Team.code.in_(list(events))).order_by(Team.code))
    payload = TeamList(
        Rsc.build(discipline),
        tuple(
            ParticipantTeam(
                code=t.code,
                organisation=t.noc,
                name=t.name,
                gender=t.gender,
                discipline=Rsc.build(discipline),
                events=tuple(_event_rsc(e) for e in sorted(events[t.code])),
            )
            for t in teams
        ),
    )
    if not payload.teams:
        raise NotFoundError(f"no team entries in {discipline}", code="entries_not_found")
    header = context.stamp("DT_PARTIC_TEAMS", str(payload.discipline), 1)
    return build_partic_teams(header, payload)


def _athletes(games: Session, codes: list[str]) -> list[EntryAthlete]:
    people = {
        p.code: p
        for p in games.scalars(select(ParticipantRow).where(ParticipantRow.code.in_(codes)))
    }
    made = []
    for order, code in enumerate((c for c in codes if c in people), 1):
        person = people[code]
        family, given = split_printed_name(person.printed_name)
        made.append(
            EntryAthlete(
                code=code,
                family_name=family,
                given_name=given,
                gender=_ODF_GENDER.get(person.gender, "X"),  # type: ignore[arg-type]
                organisation=person.noc or person.organisation,
                order=order,
            )
        )
    return made


def _entry_line(games: Session, entry: Entry, sort_order: int) -> EntryLine:
    if entry.team_code is None:
        athletes = _athletes(games, [entry.participant_code or ""])
        return EntryLine(
            entry.participant_code or "", "A", entry.noc, sort_order, None, tuple(athletes)
        )
    team = games.get(Team, entry.team_code)
    members = list(
        games.scalars(
            select(TeamMember.participant_code)
            .where(TeamMember.team_code == entry.team_code)
            .order_by(TeamMember.participant_code)
        )
    )
    name = team.name if team is not None else entry.team_code
    return EntryLine(
        entry.team_code, "T", entry.noc, sort_order, name, tuple(_athletes(games, members))
    )


def entries(games: Session, context: FeedContext, event: str) -> bytes:
    """Build DT_ENTRIES of an event: its entered athletes, or its teams with their members.

    Entries are in start-list order (`start_order_key`). A team event lists only teams.
    """
    info = event_info(games, event)
    rows = list(
        games.scalars(
            select(Entry).where(Entry.event_rsc == info.rsc, Entry.status == EntryStatus.ENTERED)
        )
    )
    if any(r.team_code for r in rows):
        rows = [r for r in rows if r.team_code]
    rows.sort(key=lambda r: start_order_key(info.rsc, r.team_code or r.participant_code or ""))
    payload = EntryList(
        Rsc(info.rsc), tuple(_entry_line(games, r, n) for n, r in enumerate(rows, 1))
    )
    if not payload.entries:
        raise NotFoundError(f"no entries in {info.code}", code="entries_not_found")
    header = context.stamp("DT_ENTRIES", info.rsc, 1)
    return build_entries(header, payload)


def entries_odf(games: Session, context: FeedContext, document_type: str, code: str) -> bytes:
    """Build one entries message by DocumentType and code (discipline or event).

    Args:
        games: a games-plane session.
        context: the feed context that stamps the header.
        document_type: one of `ENTRY_DOCUMENT_TYPES`.
        code: a discipline code or RSC (`DT_PARTIC`, `DT_PARTIC_TEAMS`), an event code or
            RSC (`DT_ENTRIES`).

    Raises:
        InvalidInputError: `odf_document_type_unknown`.
        NotFoundError: `entries_not_found` (nobody entered), `unknown_event`.

    """
    if document_type == "DT_ENTRIES":
        return entries(games, context, code)
    discipline = code[:3].upper()
    if document_type not in ENTRY_DOCUMENT_TYPES:
        msg = (
            f"document type {document_type[:20]!r} is not one of {', '.join(ENTRY_DOCUMENT_TYPES)}"
        )
        raise InvalidInputError(msg, code="odf_document_type_unknown")
    if not _entered(games, discipline):
        raise NotFoundError(f"no entries in {discipline}", code="entries_not_found")
    build = partic if document_type == "DT_PARTIC" else partic_teams
    return build(games, context, discipline)
