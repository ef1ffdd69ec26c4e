"""Bulk registration: many people and their applications, with a report of every rejected row.

A responsible organisation sends a CSV file (or a JSON list) of its people. Each row is
checked field by field (`podium.people.validate_registration`), then against the access
configuration (category), the organisations, duplicates, the photo checks and the
organisation's quota of each category, checked once per (organisation, category) for the
whole batch. Every rejected row is reported with its line, column and a stable code:

    missing, bad_date, bad_format, bad_value, too_long, document_expired, unknown_field
                          field checks (`podium.people.validation`)
    unknown_category      the category is not in the access configuration
    unknown_organisation  no responsible organisation has this code
    organisation_mismatch the row names another organisation than the operator's
    duplicate             the reference appears twice in the file (the later row is rejected)
    erased                the person was erased at their request (GDPR Art. 17): never re-created
    bad_photo             the portrait fails a check (the message gives `photo_*` code)
    quota_exceeded        the rows past the organisation's quota of the category

The accepted rows are written, both planes in one transaction each (sovereign rows
first, then the games plane's `applied` accreditations; the games plane commits first,
like `podium import paris2024`). A person already registered is not written again, and a
person present in only one plane (a crash between the two commits) is completed: running
an import twice is safe. With `strict`, one rejected row rejects the whole file and
nothing is written.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from podium.accreditation.access import default_access
from podium.accreditation.authz import actor_id, organisation_limit
from podium.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    Organisation,
)
from podium.accreditation.quotas import held_count, quota_of
from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.errors import InvalidInputError, PermissionDeniedError
from podium.people import (
    REGISTRATION_FIELDS,
    PhotoError,
    RegisteredPerson,
    RegistrationIn,
    WriteContext,
    check_photo,
    insert_rows,
    registered_subjects,
    registration_subject,
    validate_registration,
    write_registrations,
)
from podium.privacy.operators import Principal
from podium.privacy.register import erased_subjects
from podium.privacy.spine import Spine

__all__ = [
    "BulkImportRejectedError",
    "BulkOptions",
    "BulkReport",
    "OrganisationMismatchError",
    "Rejection",
    "check_organisation_scope",
    "import_people",
    "read_people_csv",
]

_BATCH = 50_000  # people per sovereign write batch (bounds the memory of sealed rows)


class OrganisationMismatchError(PermissionDeniedError):
    """An organisation's operator tried to register another organisation's people."""

    code = "organisation_mismatch"


@dataclass(frozen=True, slots=True)
class Rejection:
    """One rejected row (or one of its fields).

    Attributes:
        line: the line of the CSV file (header = 1), or the item's position in a JSON list
            counted from 1.
        column: the field (CSV column) at fault.
        code: stable code (module docstring).
        message: what is wrong.
        reference: the row's reference, when it has one.

    """

    line: int
    column: str
    code: str
    message: str
    reference: str | None = None


@dataclass
class BulkReport:
    """What a bulk registration did.

    Attributes:
        source: the file name or `request`.
        organisation: the organisation the import was made for.
        received: rows read.
        written: people registered now.
        already_registered: people found registered in both planes (not written again).
        rejected: every rejected row, with line, column and code.
        subjects: the subject IDs written, in row order.

    """

    source: str
    organisation: str
    received: int = 0
    written: int = 0
    already_registered: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        """How many distinct rows were rejected."""
        return len({r.line for r in self.rejected})

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (with `rejected_rows`)."""
        data = asdict(self)
        data["rejected_rows"] = self.rejected_rows
        return data

    def to_json(self) -> str:
        """Return the report as indented JSON."""
        return json.dumps(self.to_dict(), indent=2)


class BulkImportRejectedError(InvalidInputError):
    """Strict mode: at least one row was rejected, so nothing was written (`import_rejected`).

    Attributes:
        report: the report, with every rejected row.

    """

    code = "import_rejected"

    def __init__(self, report: BulkReport) -> None:
        """Create the error from the report of the refused import."""
        first = report.rejected[0]
        super().__init__(
            f"{report.source}: {report.rejected_rows} rows rejected, nothing written "
            f"(first: line {first.line}, column {first.column}: {first.code})"
        )
        self.report = report


@dataclass(frozen=True)
class BulkOptions:
    """How to run a bulk registration.

    Attributes:
        organisation: the responsible organisation the rows belong to (a row may name
            another only when the operator is organising-committee staff).
        strict: all or nothing: one rejected row and nothing is written.
        source: the file name, for the report.
        photos: reference → portrait bytes, attached to the rows with that reference.
        categories: the known accreditation categories; the access configuration's by default.

    """

    organisation: str
    strict: bool = False
    source: str = "request"
    photos: Mapping[str, bytes] = field(default_factory=dict)
    categories: frozenset[str] | None = None


def check_organisation_scope(
    games: Session, principal: Principal | None, organisation: str
) -> None:
    """Refuse an operator who manages people of an organisation not its own.

    The organising committee's staff (organisation of kind `ocog`, `PARIS2024`) manage
    every organisation's people (`podium.accreditation.authz.organisation_limit`), and so
    does a command run on the host (`principal` None).

    Raises:
        OrganisationMismatchError: HTTP 403, code `organisation_mismatch`.

    """
    limit = organisation_limit(games, principal)
    if principal is not None and limit is not None and limit != organisation:
        raise OrganisationMismatchError(
            f"operator {principal.username!r} of {limit or 'no organisation'} "
            f"may manage only its own organisation's people, not {organisation}'s"
        )


def read_people_csv(data: bytes | str, source: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Read a bulk registration CSV file (UTF-8, comma-separated, header row).

    Columns: those of `RegistrationIn` (`REGISTRATION_FIELDS`); `organisation` may be
    left out (the import's organisation is used), as may the optional ones.

    Args:
        data: the file's content.
        source: its name, for the errors.

    Returns:
        (line, column → cell) per data row, read lazily; the line counts the header as 1.

    Raises:
        InvalidInputError: `csv_unreadable` (not UTF-8, no header, or, while reading, a
            malformed line) or `csv_columns` (a column unknown, or a required column
            absent), naming the file, the line and the columns.

    """
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise InvalidInputError(f"{source}: not UTF-8 ({error})", code="csv_unreadable") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames
    if not header:
        raise InvalidInputError(f"{source}: no header row", code="csv_unreadable")
    unknown = [c for c in header if c not in REGISTRATION_FIELDS]
    required = {
        n for n, f in RegistrationIn.model_fields.items() if f.is_required() and n != "organisation"
    }
    absent = sorted(required - set(header))
    if unknown or absent:
        raise InvalidInputError(
            f"{source}, line 1: unknown columns {unknown}, missing columns {absent}",
            code="csv_columns",
        )
    return _rows(reader, source)


def _rows(reader: csv.DictReader[str], source: str) -> Iterator[tuple[int, dict[str, str]]]:
    # Lazy, so a 500,000-row file is never held twice in memory as dicts.
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as error:
        message = f"{source}, line {reader.line_num}: {error}"
        raise InvalidInputError(message, code="csv_unreadable") from error


@dataclass
class _Batch:
    accepted: list[tuple[int, RegisteredPerson]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # subjects met so far in the file
    registered: set[str] = field(default_factory=set)  # accepted, sovereign rows present
    accredited: set[str] = field(default_factory=set)  # accepted, games rows present


def _check_row(  # noqa: PLR0913 - one row and what it is checked against
    line: int,
    values: Mapping[str, Any],
    *,
    options: BulkOptions,
    context: _Context,
    batch: _Batch,
    report: BulkReport,
) -> None:
    values = {"organisation": options.organisation, **values}
    checked = validate_registration(values, context.today)
    reference = str(values.get("reference") or "") or None
    if isinstance(checked, list):
        report.rejected.extend(
            Rejection(line, p.field, p.code, p.message, reference) for p in checked
        )
        return
    problem = context.refusal(checked)
    if problem is not None:
        report.rejected.append(Rejection(line, problem[0], problem[1], problem[2], reference))
        return
    sid = registration_subject(context.key, checked.organisation, checked.reference)
    if sid in batch.seen:
        message = f"reference {checked.reference} appears earlier in the file"
        report.rejected.append(Rejection(line, "reference", "duplicate", message, reference))
        return
    photo = None
    if (data := options.photos.get(checked.reference)) is not None:
        try:
            photo = check_photo(data)
        except PhotoError as error:
            message = f"{error.code}: {error}"
            report.rejected.append(Rejection(line, "photo", "bad_photo", message, reference))
            return
    batch.seen.add(sid)
    batch.accepted.append((line, RegisteredPerson(sid, checked, photo)))


@dataclass
class _Context:
    limit: str | None
    today: date
    key: bytes
    categories: frozenset[str]
    organisations: set[str]

    def refusal(self, record: RegistrationIn) -> tuple[str, str, str] | None:
        org = record.organisation
        if self.limit is not None and org != self.limit:
            return ("organisation", "organisation_mismatch", f"{org} is not your organisation")
        if org not in self.organisations:
            return ("organisation", "unknown_organisation", f"no organisation has code {org}")
        if record.category not in self.categories:
            known = ", ".join(sorted(self.categories))
            return ("category", "unknown_category", f"{record.category!r} is not one of {known}")
        return None


def _apply_quotas(games: Session, batch: _Batch, report: BulkReport) -> None:
    """Reject the rows past each (organisation, category) quota: one check per pair."""
    room: dict[tuple[str, str], int | None] = {}
    kept: list[tuple[int, RegisteredPerson]] = []
    for line, person in batch.accepted:
        pair = (person.record.organisation, person.record.category)
        if person.subject_id in batch.accredited:  # holds its accreditation: no new place
            kept.append((line, person))
            continue
        if pair not in room:
            quota = quota_of(games, *pair)
            room[pair] = None if quota is None else max(0, quota - held_count(games, *pair))
        left = room[pair]
        if left is not None and left <= 0:
            message = f"organisation {pair[0]} has no place left in category {pair[1]}"
            report.rejected.append(
                Rejection(line, "category", "quota_exceeded", message, person.record.reference)
            )
            continue
        if left is not None:
            room[pair] = left - 1
        kept.append((line, person))
    batch.accepted = kept


def _accredited(games: Session, subjects: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(subjects), 10_000):
        chunk = subjects[start : start + 10_000]
        query = select(Accreditation.subject_id).where(Accreditation.subject_id.in_(chunk))
        found.update(games.scalars(query))
    return found


def _write_games(
    games: Session, people: Sequence[RegisteredPerson], operator: str, at: datetime
) -> None:
    for start in range(0, len(people), _BATCH):
        chunk = people[start : start + _BATCH]
        applied = AccreditationStatus.APPLIED.value
        rows = [
            {
                "subject_id": p.subject_id,
                "organisation_code": p.record.organisation,
                "category": p.record.category,
                "function": p.record.function,
                "status": applied,
                "applied_at": at,
                "updated_at": at,
                "card_serial": 0,
            }
            for p in chunk
        ]
        connection = games.connection()
        table = cast("Table", Accreditation.__table__)
        ids = connection.execute(table.insert().returning(table.c.id), rows).scalars()
        steps = [
            {"accreditation_id": i, "at": at, "to_status": applied, "by": operator[:16]}
            for i in ids
        ]
        insert_rows(connection, cast("Table", AccreditationStep.__table__), steps)


def _collect(
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    options: BulkOptions,
    context: _Context,
    report: BulkReport,
) -> _Batch:
    batch = _Batch()
    for line, values in rows:
        report.received += 1
        _check_row(line, values, options=options, context=context, batch=batch, report=report)
    return batch


def import_people(  # noqa: PLR0913 - the import, who runs it, and its services
    planes: Planes,
    spine: Spine,
    principal: Principal | None,
    rows: Iterable[tuple[int, Mapping[str, Any]]],
    options: BulkOptions,
    *,
    clock: Clock = system_clock,
) -> BulkReport:
    """Register many people and their accreditation applications (status `applied`).

    Args:
        planes: both planes (migrated).
        spine: the node's privacy services.
        principal: the operator importing (its organisation bounds what it may register;
            its id and purpose go to the audit log); None for a command run on the host
            (audited as `system`, purpose `accreditation`).
        rows: (line, field → value) per person, e.g. from `read_people_csv`.
        options: organisation, strictness, source name, photos.
        clock: the time of the registrations and of the date rules.

    Returns:
        The report: counts, every rejected row with line, column and code, subjects written.

    Raises:
        OrganisationMismatchError: the operator may not register `options.organisation`'s
            people (403, nothing read).
        BulkImportRejectedError: strict mode with a rejected row; nothing written.

    """
    now = clock()
    report = BulkReport(source=options.source, organisation=options.organisation)
    with planes.sovereign_session() as sovereign, planes.games_session() as games:
        check_organisation_scope(games, principal, options.organisation)
        context = _Context(
            limit=organisation_limit(games, principal),
            today=now.date(),
            key=spine.pseudonym_key,
            categories=options.categories or default_access().category_codes,
            organisations=set(games.scalars(select(Organisation.code))),
        )
        batch = _collect(rows, options, context, report)
        _split_existing(sovereign, games, batch, report)
        report.rejected.sort(key=lambda r: r.line)  # stable: a row's fields stay in order
        if options.strict and report.rejected:
            raise BulkImportRejectedError(report)
        _write(sovereign, games, spine, batch, principal=principal, now=now)
        report.subjects = [p.subject_id for _, p in batch.accepted]
        report.written = len(batch.accepted)
    return report


def _split_existing(sovereign: Session, games: Session, batch: _Batch, report: BulkReport) -> None:
    """Drop the people already registered in both planes; reject the erased ones."""
    subjects = [p.subject_id for _, p in batch.accepted]
    in_sovereign = registered_subjects(sovereign, subjects)
    in_games = _accredited(games, subjects)
    erased = erased_subjects(sovereign)
    kept: list[tuple[int, RegisteredPerson]] = []
    for line, person in batch.accepted:
        sid, reference = person.subject_id, person.record.reference
        if sid in erased:
            message = "this person's data was erased at their request and is not re-created"
            report.rejected.append(Rejection(line, "reference", "erased", message, reference))
        elif sid in in_sovereign and sid in in_games:
            report.already_registered += 1
        else:
            kept.append((line, person))
    batch.accepted = kept
    batch.registered = in_sovereign
    batch.accredited = in_games
    _apply_quotas(games, batch, report)


def _write(  # noqa: PLR0913 - both sessions, the services, the rows, who and when
    sovereign: Session,
    games: Session,
    spine: Spine,
    batch: _Batch,
    *,
    principal: Principal | None,
    now: datetime,
) -> None:
    people = [p for _, p in batch.accepted]
    purpose = (principal.purpose if principal else None) or "accreditation"
    context = WriteContext(actor_id(principal), purpose, now)
    fresh = [p for p in people if p.subject_id not in batch.registered]
    for start in range(0, len(fresh), _BATCH):
        write_registrations(sovereign, spine, fresh[start : start + _BATCH], context)
    sovereign.flush()
    unaccredited = [p for p in people if p.subject_id not in batch.accredited]
    _write_games(games, unaccredited, actor_id(principal), now)
