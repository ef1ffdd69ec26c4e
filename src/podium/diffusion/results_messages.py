"""`DT_RESULT` per unit, `DT_MEDALLISTS` per event and `DT_MEDALS`, from the games plane."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.diffusion.feed import GENDERS, OdfMessageFile, as_of, evening, split_name
from podium.games import Discipline, Event, Noc, Unit
from podium.odf import (
    GAMES_DOCUMENT_CODE,
    Athlete,
    Competitor,
    EventMedallists,
    FeedContext,
    MedalAward,
    MedalLine,
    MedalStandings,
    RecordMark,
    ResultLine,
    Rsc,
    UnitResult,
    build_medallists,
    build_medals,
    build_result,
)
from podium.people import Participant as ParticipantRow
from podium.people import Team as TeamRow
from podium.people import TeamMember
from podium.results import MedalRecord, medal_table
from podium.results import UnitResult as ResultRow

__all__ = [
    "event_rscs",
    "medallist_messages",
    "medals_messages",
    "record_marks",
    "result_line",
    "result_messages",
    "rosters_of",
]


_MEDAL_ORDER = {"ME_GOLD": 0, "ME_SILVER": 1, "ME_BRONZE": 2}
_MEDALS = {"GOLD": "ME_GOLD", "SILVER": "ME_SILVER", "BRONZE": "ME_BRONZE"}


_Rosters = tuple[dict[str, TeamRow], dict[str, list[ParticipantRow]]]
"""Teams by code, and each team's athletes by team code."""


class StoredResult(Protocol):
    """What a result line is built from: a `UnitResult` or a plain row of its table.

    The live feed reads plain rows: many times cheaper than mapped objects.
    """

    @property
    def unit_rsc(self) -> str: ...
    @property
    def competitor_code(self) -> str: ...
    @property
    def competitor_type(self) -> str: ...
    @property
    def competitor_name(self) -> str: ...
    @property
    def noc(self) -> str: ...
    @property
    def rank(self) -> int | None: ...
    @property
    def result(self) -> str | None: ...
    @property
    def result_type(self) -> str | None: ...
    @property
    def irm(self) -> str | None: ...
    @property
    def qualification_mark(self) -> str | None: ...
    @property
    def start_order(self) -> str | None: ...
    @property
    def records(self) -> str | None: ...
    @property
    def wlt(self) -> str | None: ...
    @property
    def diff(self) -> str | None: ...


def _competitor(row: StoredResult, genders: dict[str, str], rosters: _Rosters) -> Competitor:
    if row.competitor_type == "Team":
        teams, members = rosters
        team = teams.get(row.competitor_code)
        athletes = tuple(
            _athlete(p.code, p.printed_name, p.gender, row.noc)
            for p in (members[team.code] if team else ())
        )
        return Competitor(
            code=row.competitor_code,
            type="T",
            organisation=row.noc,
            athletes=athletes,
            team_name=row.competitor_name,
        )
    family, given = split_name(row.competitor_name)
    gender = GENDERS.get(genders.get(row.competitor_code, row.unit_rsc[3]), "X")
    athlete = Athlete(
        code=row.competitor_code,
        family_name=family,
        gender=gender,  # type: ignore[arg-type]
        organisation=row.noc,
        given_name=given,
    )
    return Competitor.individual(athlete)


def result_line(
    row: StoredResult, sort_order: int, genders: dict[str, str], rosters: _Rosters
) -> ResultLine:
    """Return one stored result as an ODF result line.

    Args:
        row: the stored result.
        sort_order: its 1-based `SortOrder`.
        genders: athletes' genders by code (`M`, `W`, `X`).
        rosters: teams and their athletes (`rosters_of`).
    """
    return ResultLine(
        competitor=_competitor(row, genders, rosters),
        rank=str(row.rank) if row.rank is not None else None,
        result=row.result,
        result_type=row.result_type,
        irm=row.irm,
        qualification_mark=row.qualification_mark,
        sort_order=sort_order,
        start_order=row.start_order,
        records=record_marks(row.records),
        wlt=row.wlt,
        diff=row.diff,
    )


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


def result_messages(
    session: Session,
    context: FeedContext,
    code: str | None = None,
    version: int = 1,
    *,
    versions: Mapping[str, int] | None = None,
) -> Iterator[OdfMessageFile]:
    """Yield one DT_RESULT per unit with results (or only unit `code`, or `versions`' units).

    The ResultStatus is the unit's live `result_status` (START_LIST, LIVE, ...), or
    OFFICIAL for imported results. Dated when the unit ended (or started, when the source
    gives no end), or now when that is earlier (see `as_of`). Reading many units at once
    (`versions`) costs four queries in all, which is how the live feed builds a backlog.

    Args:
        session: a games-plane session.
        context: the feed's context.
        code: one unit's RSC, or None for every unit.
        version: the header's Version.
        versions: instead of `code` and `version`: the units to build, each with its
            Version.
    """
    if code is not None:
        versions = {code: version}
    rows: dict[str, list[StoredResult]] = defaultdict(list)
    table = ResultRow.__table__
    query = select(*table.c).order_by(ResultRow.unit_rsc, ResultRow.sort_order)
    people = select(ParticipantRow.code, ParticipantRow.gender)
    if versions is not None:
        query = query.where(ResultRow.unit_rsc.in_(list(versions)))
        competitors = select(ResultRow.competitor_code).where(
            ResultRow.unit_rsc.in_(list(versions))
        )
        people = people.where(ParticipantRow.code.in_(competitors))
    genders = dict(session.execute(people).all())
    for row in session.execute(query):
        rows[row.unit_rsc].append(row)
    team_codes = {
        r.competitor_code for rs in rows.values() for r in rs if r.competitor_type == "Team"
    }
    rosters = rosters_of(session, team_codes)
    times = select(Unit.rsc, Unit.starts_at, Unit.ends_at, Unit.result_status, Unit.note)
    if versions is not None:
        times = times.where(Unit.rsc.in_(list(versions)))
    ended: dict[str, datetime] = {}
    statuses: dict[str, str] = {}
    notes: dict[str, tuple[str, ...]] = {}
    for rsc, start, end, status, note in session.execute(times):
        ended[rsc] = end or start
        statuses[rsc] = status or "OFFICIAL"
        notes[rsc] = (note,) if note else ()
    for unit_rsc, lines in rows.items():
        result = UnitResult(
            unit=Rsc(unit_rsc),
            lines=tuple(result_line(r, i + 1, genders, rosters) for i, r in enumerate(lines)),
        )
        stamped = as_of(context, ended[unit_rsc])
        header = stamped.stamp(
            "DT_RESULT",
            unit_rsc,
            versions[unit_rsc] if versions is not None else version,
            result_status=statuses.get(unit_rsc, "OFFICIAL"),  # type: ignore[arg-type]
        )
        message = build_result(header, result, notes=notes.get(unit_rsc, ()))
        yield OdfMessageFile("DT_RESULT", unit_rsc, message, header)


def event_rscs(session: Session) -> dict[str, Rsc]:
    """Map the medal files' `discipline/event` keys to event RSCs, by names."""
    names = dict(session.execute(select(Discipline.code, Discipline.name)).all())
    return {
        f"{names.get(e.discipline_code, e.discipline_code)}/{e.name}": Rsc(e.rsc)
        for e in session.scalars(select(Event))
    }


def _medal_competitor(
    record: MedalRecord, teams: dict[str, TeamRow], members: dict[str, list[ParticipantRow]]
) -> Competitor:
    """Return the medallist as ODF shows it: a team with its members, or one athlete."""
    team = teams.get(record.competitor_code or "")
    if team is not None:
        athletes = tuple(
            _athlete(p.code, p.printed_name, p.gender, team.noc) for p in members[team.code]
        )
        return Competitor(
            code=team.code, type="T", organisation=team.noc, athletes=athletes, team_name=team.name
        )
    return Competitor.individual(
        _athlete(record.competitor_code or record.key, record.competitor_name, "X", record.noc)
    )


def _athlete(code: str, printed: str, gender: str, noc: str) -> Athlete:
    family, given = split_name(printed)
    return Athlete(
        code=code,
        family_name=family,
        gender=GENDERS.get(gender, "X"),  # type: ignore[arg-type]
        organisation=noc,
        given_name=given,
    )


def rosters_of(session: Session, codes: set[str]) -> _Rosters:
    """Return the teams among `codes` and each team's athletes, by code."""
    teams = {t.code: t for t in session.scalars(select(TeamRow).where(TeamRow.code.in_(codes)))}
    members: dict[str, list[ParticipantRow]] = defaultdict(list)
    query = (
        select(TeamMember.team_code, ParticipantRow)
        .join(ParticipantRow, ParticipantRow.code == TeamMember.participant_code)
        .where(TeamMember.team_code.in_(teams))
        .order_by(TeamMember.team_code, ParticipantRow.code)
    )
    for team_code, person in session.execute(query):
        members[team_code].append(person)
    return teams, members


def medallist_messages(
    session: Session, context: FeedContext, code: str | None = None, version: int = 1
) -> Iterator[OdfMessageFile]:
    """Yield one DT_MEDALLISTS per event whose medal-file key matches an event (or `code`'s).

    Each award names the unit where it was decided when the source's URL gives it (the
    final, the bronze match), else the event; a team medal lists the team's athletes.
    """
    events = event_rscs(session)
    query = select(MedalRecord).where(MedalRecord.competition == "OG2024")
    if code is not None:
        keys = [key for key, event in events.items() if event == code]
        query = query.where(MedalRecord.event_key.in_(keys))
    records = [r for r in session.scalars(query.order_by(MedalRecord.key)) if r.event_key in events]
    teams, members = rosters_of(session, {r.competitor_code for r in records if r.competitor_code})
    people = select(ParticipantRow.code, ParticipantRow.gender).where(
        ParticipantRow.code.in_({r.competitor_code for r in records if r.competitor_code})
    )
    genders = dict(session.execute(people).all())
    awards: dict[Rsc, list[MedalAward]] = defaultdict(list)
    for record in records:
        event = events[record.event_key]
        competitor = _medal_competitor(record, teams, members)
        if competitor.type == "A":
            gender = genders.get(record.competitor_code or "", event[3])
            competitor = Competitor.individual(
                _athlete(competitor.code, record.competitor_name, gender, record.noc)
            )
        awards[event].append(
            MedalAward(
                medal=_MEDALS[record.medal],  # type: ignore[arg-type]
                date=record.awarded_on,
                unit=Rsc(record.unit_rsc) if record.unit_rsc else event,
                competitors=(competitor,),
            )
        )
    decided = {r.unit_rsc for r in records if r.unit_rsc}
    ends = select(Unit.rsc, Unit.starts_at, Unit.ends_at).where(Unit.rsc.in_(decided))
    ended = {rsc: end or start for rsc, start, end in session.execute(ends)}
    for event, items in sorted(awards.items()):
        items.sort(key=lambda a: (_MEDAL_ORDER[a.medal], a.competitors[0].code))
        # After the deciding units ended (they may end after 23:00), else that evening.
        finished = [ended[a.unit] for a in items if a.unit in ended]
        moment = max(finished) if finished else evening(max(a.date for a in items))
        stamped = as_of(context, moment)
        header = stamped.stamp("DT_MEDALLISTS", event, version, result_status="OFFICIAL")
        message = build_medallists(header, EventMedallists(event, tuple(items)))
        yield OdfMessageFile("DT_MEDALLISTS", event, message, header)


def medals_messages(
    session: Session, context: FeedContext, code: str | None = None, version: int = 1
) -> Iterator[OdfMessageFile]:
    """Yield the Games' DT_MEDALS when `code` is None or the Games code.

    Dated at 23:00 Paris time of the last medal day; nothing before any medal is imported.
    """
    if code not in (None, GAMES_DOCUMENT_CODE):
        return
    standings = medal_table(session, "OG2024")
    events = event_rscs(session)
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
    stamped = as_of(context, evening(latest[1]))
    table = MedalStandings(
        as_of=stamped.clock(),
        last_event=events[latest[0]],
        total_events=session.scalar(select(func.count()).select_from(Event)) or 0,
        finished_events=finished or 0,
        lines=lines,
    )
    header = stamped.stamp("DT_MEDALS", GAMES_DOCUMENT_CODE, version, result_status="OFFICIAL")
    yield OdfMessageFile("DT_MEDALS", GAMES_DOCUMENT_CODE, build_medals(header, table), header)
