"""Finding everything Podium holds on one data subject, in both planes, generically.

A table's rows belong to a subject when one of its *link columns* holds the subject:

- a column of category `pseudonym` holds subject IDs (`person.subject_id`,
  `participant.subject_id`, `audit_record.subject`, `operator.id`…);
- a column marked `info["subject_link"] = "participant"` holds ODF participant codes
  (`participant.code`, `team_member.participant_code`);
- `"team"` holds team codes (`team.code`): the subject's rows through their teams;
- `"competitor"` holds either (`unit_result.competitor_code`, `medal.competitor_code`).

Nothing is listed by hand, so a table added by a later issue is found as soon as it
declares its link; `unlinked_personal_tables` names the tables holding personal data
with no link at all (a test and `podium privacy check` fail on them). GDPR Art. 15
(access), Art. 17 (erasure) and Art. 20 (portability) all start here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, ColumnElement, MetaData, Table, or_, select
from sqlalchemy.orm import Session

from podium.core.categories import CATALOG, DataCategory, Plane
from podium.core.db import Planes
from podium.people import Participant, TeamMember
from podium.subjects.errors import SubjectNotFoundError

__all__ = [
    "LINK_INFO",
    "FoundRows",
    "Link",
    "SubjectRef",
    "find_rows",
    "link_columns",
    "resolve_subject",
    "unlinked_personal_tables",
]

LINK_INFO = "subject_link"
"""The `Column.info` key naming what a column holds of a data subject."""


class Link(enum.StrEnum):
    """What a link column holds of a data subject."""

    SUBJECT = "subject"  # the pseudonymous subject ID (every `pseudonym` column)
    PARTICIPANT = "participant"  # the ODF participant code
    TEAM = "team"  # the code of a team the subject is a member of
    COMPETITOR = "competitor"  # a participant code or a team code


@dataclass(frozen=True, slots=True)
class SubjectRef:
    """A data subject resolved in both planes.

    Attributes:
        subject_id: the pseudonymous subject ID.
        participant_codes: the ODF participant codes carrying that ID (none for an operator).
        team_codes: the teams those participants are members of.

    """

    subject_id: str
    participant_codes: tuple[str, ...]
    team_codes: tuple[str, ...]

    def values(self, link: Link) -> tuple[str, ...]:
        """Return the values a link column of this kind holds for the subject."""
        if link is Link.SUBJECT:
            return (self.subject_id,)
        if link is Link.PARTICIPANT:
            return self.participant_codes
        if link is Link.TEAM:
            return self.team_codes
        return self.participant_codes + self.team_codes


@dataclass(frozen=True, slots=True)
class FoundRows:
    """The rows of one table that belong to a subject.

    Attributes:
        plane: the plane of the table.
        table: the table.
        rows: the rows, each a column name → stored value mapping (sealed values as tokens).

    """

    plane: Plane
    table: Table
    rows: tuple[dict[str, Any], ...]


def link_columns(table: Table) -> list[tuple[Column[Any], Link]]:
    """Return the columns of a table that link its rows to data subjects.

    Args:
        table: a table of either plane.

    Returns:
        (column, link kind) pairs: the `subject_link` marker, else `subject` for every
        column of category `pseudonym`.

    """
    found: list[tuple[Column[Any], Link]] = []
    for col in table.columns:
        marker = col.info.get(LINK_INFO)
        if marker is not None:
            found.append((col, Link(marker)))
        elif col.info.get("category") is DataCategory.PSEUDONYM:
            found.append((col, Link.SUBJECT))
    return found


def unlinked_personal_tables(metadata: MetaData) -> list[str]:
    """Name the tables that hold personal data but have no column linking rows to subjects.

    Args:
        metadata: one plane's metadata.

    Returns:
        `table: personal columns …` lines; empty when every such table can be searched.

    Source: GDPR Art. 15 and 17 (every item must be findable), Art. 30 (records).

    """
    problems: list[str] = []
    for table in metadata.sorted_tables:
        personal = [
            col.name
            for col in table.columns
            if (category := col.info.get("category")) is not None and CATALOG[category].personal
        ]
        if personal and not link_columns(table):
            problems.append(
                f"{table.name}: personal columns {', '.join(personal)} but no column links a "
                f"row to a data subject (a pseudonym column or info['{LINK_INFO}'])"
            )
    return problems


def _known_subject(planes: Planes, metadata: Sequence[MetaData], subject_id: str) -> bool:
    for meta in metadata:
        engine = planes.games if meta.info["plane"] is Plane.GAMES else planes.sovereign
        with engine.connect() as connection:
            for table in meta.sorted_tables:
                for col, link in link_columns(table):
                    if (
                        link is Link.SUBJECT
                        and connection.execute(
                            select(col).where(col == subject_id).limit(1)
                        ).first()
                    ):
                        return True
    return False


def resolve_subject(
    planes: Planes, subject_or_code: str, metadata: Sequence[MetaData]
) -> SubjectRef:
    """Resolve an ODF participant code or a subject ID to the subject and its codes.

    Args:
        planes: both planes.
        subject_or_code: an ODF participant code (`1903136`) or a subject ID (32 hex, or an
            operator id `op_…`).
        metadata: the metadata of both planes (`migrations.metadata.metadata_of`).

    Returns:
        The subject with its participant and team codes.

    Raises:
        SubjectNotFoundError: no participant has the code and no table holds the ID.

    """
    with planes.games_session() as games:
        subject = games.scalar(
            select(Participant.subject_id).where(Participant.code == subject_or_code)
        )
        if subject is None:
            if not _known_subject(planes, metadata, subject_or_code):
                raise SubjectNotFoundError(
                    f"no participant code or subject ID {subject_or_code!r} is held"
                )
            subject = subject_or_code
        codes = tuple(
            games.scalars(
                select(Participant.code)
                .where(Participant.subject_id == subject)
                .order_by(Participant.code)
            )
        )
        teams = tuple(
            games.scalars(
                select(TeamMember.team_code)
                .where(TeamMember.participant_code.in_(codes))
                .order_by(TeamMember.team_code)
            )
        )
    return SubjectRef(subject, codes, teams)


def _conditions(table: Table, ref: SubjectRef) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for col, link in link_columns(table):
        values = ref.values(link)
        if values:
            conditions.append(col.in_(values))
    return conditions


def find_rows(session: Session, metadata: MetaData, ref: SubjectRef) -> list[FoundRows]:
    """Return every row of one plane that belongs to the subject, table by table.

    Args:
        session: a session of the plane `metadata` describes.
        metadata: the plane's metadata.
        ref: the resolved subject.

    Returns:
        One entry per table with at least one row, in the metadata's dependency order.

    Source: GDPR Art. 15(1) and (3): a copy of all the personal data undergoing processing.

    """
    found: list[FoundRows] = []
    for table in metadata.sorted_tables:
        conditions = _conditions(table, ref)
        if not conditions:
            continue
        query = select(table).where(or_(*conditions)).order_by(*table.primary_key.columns)
        rows = tuple(dict(row) for row in session.execute(query).mappings())
        if rows:
            found.append(FoundRows(metadata.info["plane"], table, rows))
    return found


def row_subjects(table: Table, rows: Iterable[dict[str, Any]]) -> set[str]:
    """Return the subject IDs the rows hold in their `subject` link columns."""
    names = [col.name for col, link in link_columns(table) if link is Link.SUBJECT]
    return {row[name] for row in rows for name in names if row[name] is not None}
