"""Bulk registration on SQLite and PostgreSQL: reports, strict mode, quotas, scope, re-runs."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from podium.accreditation import (
    Accreditation,
    AccreditationStep,
    BulkImportRejectedError,
    BulkOptions,
    BulkReport,
    OrganisationMismatchError,
    import_people,
    read_people_csv,
    set_quotas,
)
from podium.core.errors import InvalidInputError
from podium.people import Person, PersonRegistration, registration_subject
from podium.privacy.audit import AuditRecord
from podium.subjects import erase_subject
from tests.people.conftest import Node, clock, csv_text, person, principal
from tests.people.images import PORTRAIT_JPEG, image_bytes


def run(node: Node, org: str, text: str, **options: object) -> BulkReport:
    rows = read_people_csv(text.encode(), "people.csv")
    bulk = BulkOptions(org, source="people.csv", **options)  # type: ignore[arg-type]
    return import_people(node.planes, node.spine, principal(org), rows, bulk, clock=clock)


def mixed_file(org: str) -> str:
    return csv_text(
        [
            person("R1", org),
            person("R2", org, family_name=""),
            person("R3", org, birth_date="1998-02-30"),
            person("R4", org, category="ZZ"),
            person("R1", org, given_names="Again"),
            person("R5", "PARIS2024"),
            person("R6", org, family_name="Nakamura", gender="M", category="E", email=""),
        ]
    )


def counts(node: Node, org: str) -> tuple[int, int, int]:
    with node.planes.sovereign_session() as sovereign, node.planes.games_session() as games:
        registered = sovereign.scalar(
            select(func.count()).where(PersonRegistration.organisation == org)
        )
        persons = sovereign.scalar(select(func.count()).where(Person.organisation == org))
        applied = games.scalar(select(func.count()).where(Accreditation.organisation_code == org))
    return registered or 0, persons or 0, applied or 0


def test_a_mixed_file_reports_every_rejected_row_and_writes_only_the_good_ones(
    node: Node, org: str
) -> None:
    report = run(node, org, mixed_file(org))
    assert [(r.line, r.column, r.code, r.reference) for r in report.rejected] == [
        (3, "family_name", "missing", "R2"),
        (4, "birth_date", "bad_date", "R3"),
        (5, "category", "unknown_category", "R4"),
        (6, "reference", "duplicate", "R1"),
        (7, "organisation", "organisation_mismatch", "R5"),
    ]
    assert (report.received, report.written, report.rejected_rows) == (7, 2, 5)
    assert counts(node, org) == (2, 2, 2)
    key = node.spine.pseudonym_key
    assert report.subjects == [registration_subject(key, org, r) for r in ("R1", "R6")]


def test_accepted_rows_are_sealed_applied_and_audited(node: Node, org: str) -> None:
    report = run(node, org, mixed_file(org))
    sid = report.subjects[0]
    cipher = node.spine.cipher
    with node.planes.sovereign_session() as sovereign, node.planes.games_session() as games:
        row = sovereign.get(PersonRegistration, sid)
        base = sovereign.get(Person, sid)
        accreditation = games.scalars(
            select(Accreditation).where(Accreditation.subject_id == sid)
        ).one()
        steps = games.scalars(
            select(AccreditationStep).where(AccreditationStep.accreditation_id == accreditation.id)
        ).all()
        audit = sovereign.scalars(
            select(AuditRecord).where(AuditRecord.action == "people.person.register")
        ).all()
    assert row is not None
    assert base is not None
    assert b"M\xc3\xbcller" not in (row.family_name or b"")
    assert cipher.open(sid, "identity", "family_name", row.family_name) == "Müller"
    assert cipher.open(sid, "identity", "full_name", base.full_name) == "Anaïs Müller"
    assert cipher.open(sid, "birth-date", "birth_date", base.birth_date) == "1998-04-12"
    assert cipher.open(sid, "document", "document_number", row.document_number) == "19AB12345"
    assert cipher.open(sid, "contact", "email", row.email) == "anais@example.org"
    assert (row.gender, row.nationality, row.category, row.organisation) == ("W", "FRA", "A", org)
    assert (accreditation.status, accreditation.category, accreditation.function) == (
        "applied", "A", "Athlete",
    )  # fmt: skip
    assert [(s.from_status, s.to_status, s.by) for s in steps] == [
        (None, "applied", "op-registrar")
    ]
    (record,) = [a for a in audit if sid in (a.reason or "")]  # one record for the batch
    assert (record.operator, record.decision, record.subject) == ("op-registrar", "write", None)
    assert record.reason == "bulk: " + ",".join(report.subjects)
    assert "document_number" in record.fields.split(",")


def test_strict_mode_writes_nothing_when_a_row_is_rejected(node: Node, org: str) -> None:
    with pytest.raises(BulkImportRejectedError) as caught:
        run(node, org, mixed_file(org), strict=True)
    assert caught.value.code == "import_rejected"
    assert caught.value.report.rejected_rows == 5
    assert counts(node, org) == (0, 0, 0)


def test_rows_past_the_quota_are_rejected_and_the_rest_written(node: Node, org: str) -> None:
    with node.planes.games_session() as games:
        set_quotas(games, org, {"A": 2})
    rows = [person(f"Q{n}", org) for n in range(3)] + [person("Q9", org, category="E")]
    report = run(node, org, csv_text(rows))
    assert [(r.line, r.column, r.code) for r in report.rejected] == [
        (4, "category", "quota_exceeded")
    ]
    assert report.written == 3
    again = run(node, org, csv_text([person("Q5", org)]))
    assert [r.code for r in again.rejected] == ["quota_exceeded"]
    assert counts(node, org) == (3, 3, 3)


def test_running_the_same_file_twice_writes_nothing_the_second_time(node: Node, org: str) -> None:
    text = csv_text([person(f"S{n}", org) for n in range(4)])
    first, second = run(node, org, text), run(node, org, text)
    assert (first.written, first.already_registered) == (4, 0)
    assert (second.written, second.already_registered, second.rejected) == (0, 4, [])
    assert counts(node, org) == (4, 4, 4)


def test_a_person_missing_from_the_games_plane_is_completed_by_a_re_run(
    node: Node, org: str
) -> None:
    text = csv_text([person("C1", org)])
    sid = run(node, org, text).subjects[0]
    with node.planes.games_session() as games:
        accreditation = games.scalars(
            select(Accreditation).where(Accreditation.subject_id == sid)
        ).one()
        games.delete(accreditation)
    report = run(node, org, text)
    assert (report.written, report.already_registered) == (1, 0)
    assert counts(node, org) == (1, 1, 1)


def test_an_organisation_cannot_import_for_another_but_the_committee_can(
    node: Node, org: str
) -> None:
    rows = read_people_csv(csv_text([person("X1", org)]), "x.csv")
    with pytest.raises(OrganisationMismatchError) as caught:
        import_people(
            node.planes, node.spine, principal("USA"), rows, BulkOptions(org), clock=clock
        )
    assert caught.value.code == "organisation_mismatch"
    staff = principal("PARIS2024", name="staff")
    report = import_people(node.planes, node.spine, staff, rows, BulkOptions(org), clock=clock)
    assert report.written == 1


def test_an_unknown_organisation_is_rejected_per_row_for_the_committee(
    node: Node, org: str
) -> None:
    rows = read_people_csv(csv_text([person("U1", "NOWHERE"), person("U2", org)]), "u.csv")
    staff = principal("PARIS2024", name="staff")
    report = import_people(node.planes, node.spine, staff, rows, BulkOptions(org), clock=clock)
    assert [(r.line, r.column, r.code) for r in report.rejected] == [
        (2, "organisation", "unknown_organisation")
    ]
    assert report.written == 1


def test_an_erased_person_is_not_registered_again(node: Node, org: str) -> None:
    text = csv_text([person("E1", org)])
    sid = run(node, org, text).subjects[0]
    erase_subject(node.planes, node.spine, sid, "system", clock=clock)
    report = run(node, org, text)
    assert [(r.code, r.reference) for r in report.rejected] == [("erased", "E1")]
    assert report.written == 0


def test_photos_are_checked_and_a_bad_one_rejects_its_row(node: Node, org: str) -> None:
    photos = {"P1": PORTRAIT_JPEG, "P2": image_bytes(300, 300)}
    report = run(node, org, csv_text([person("P1", org), person("P2", org)]), photos=photos)
    assert [(r.line, r.column, r.code) for r in report.rejected] == [(3, "photo", "bad_photo")]
    assert "photo_dimensions" in report.rejected[0].message
    with node.planes.sovereign_session() as sovereign:
        row = sovereign.get(PersonRegistration, report.subjects[0])
    assert row is not None
    assert row.photo_media_type == "image/jpeg"


def test_a_json_list_gives_positions_as_lines(node: Node, org: str) -> None:
    rows = [(1, person("J1", org)), (2, person("J2", org, gender="Q"))]
    report = import_people(
        node.planes, node.spine, principal(org), rows, BulkOptions(org), clock=clock
    )
    assert [(r.line, r.column, r.code) for r in report.rejected] == [(2, "gender", "bad_value")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("reference,family_name,shoe_size\nR1,A,42\n", "csv_columns"),
        ("", "csv_unreadable"),
    ],
)
def test_a_file_with_wrong_columns_is_refused_whole(text: str, code: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_people_csv(text.encode(), "bad.csv")
    assert caught.value.code == code
    assert "bad.csv" in str(caught.value)


def test_a_file_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(InvalidInputError) as caught:
        read_people_csv("reference\nMüller\n".encode("latin-1"), "latin.csv")
    assert caught.value.code == "csv_unreadable"
