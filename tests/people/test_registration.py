"""One registration, the portrait, the search, and the subject's rights over what was registered."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from podium.accreditation import (
    OrganisationMismatchError,
    PersonNotRegisteredError,
    RegistrationError,
    register_person,
    set_photo,
)
from podium.people import PersonRegistration, PhotoError, search_people
from podium.privacy.errors import KeyDestroyedError
from podium.privacy.regions import Region
from podium.subjects import erase_subject, export_subject
from tests.people.conftest import Node, clock, person, principal
from tests.people.images import PORTRAIT_JPEG, PORTRAIT_PNG, image_bytes


def test_one_person_is_registered_and_applied_once(node: Node, org: str) -> None:
    who = principal(org)
    first = register_person(node.planes, node.spine, who, person("A1", org), clock=clock)
    again = register_person(node.planes, node.spine, who, person("A1", org), clock=clock)
    assert (first.status, first.created) == ("applied", True)
    assert (again.subject_id, again.accreditation_id, again.created) == (
        first.subject_id, first.accreditation_id, False,
    )  # fmt: skip


def test_a_refused_registration_lists_every_field_at_fault(node: Node, org: str) -> None:
    values = person("A2", org, family_name="", birth_date="yesterday", category="ZZ")
    with pytest.raises(RegistrationError) as caught:
        register_person(node.planes, node.spine, principal(org), values, clock=clock)
    assert caught.value.code == "missing"
    assert [(p.column, p.code) for p in caught.value.problems] == [
        ("family_name", "missing"),
        ("birth_date", "bad_date"),
    ]


def test_an_organisation_registers_only_its_own_people(node: Node, org: str) -> None:
    with pytest.raises(OrganisationMismatchError) as caught:
        register_person(node.planes, node.spine, principal("USA"), person("A3", org), clock=clock)
    assert caught.value.code == "organisation_mismatch"


def test_a_portrait_is_checked_sealed_and_replaced(node: Node, org: str) -> None:
    who = principal(org)
    sid = register_person(node.planes, node.spine, who, person("A4", org), clock=clock).subject_id
    assert set_photo(node.planes, node.spine, who, sid, PORTRAIT_JPEG) == "image/jpeg"
    assert set_photo(node.planes, node.spine, who, sid, PORTRAIT_PNG) == "image/png"
    with pytest.raises(PhotoError) as caught:
        set_photo(node.planes, node.spine, who, sid, image_bytes(200, 260))
    assert caught.value.code == "photo_dimensions"
    with node.planes.sovereign_session() as sovereign:
        row = sovereign.get(PersonRegistration, sid)
    assert row is not None
    assert row.photo_media_type == "image/png"
    assert PORTRAIT_PNG not in (row.photo or b"")


def test_a_portrait_for_someone_else_or_nobody_is_refused(node: Node, org: str) -> None:
    sid = register_person(
        node.planes, node.spine, principal(org), person("A5", org), clock=clock
    ).subject_id
    with pytest.raises(OrganisationMismatchError):
        set_photo(node.planes, node.spine, principal("USA"), sid, PORTRAIT_JPEG)
    with pytest.raises(PersonNotRegisteredError) as caught:
        set_photo(node.planes, node.spine, principal(org), "0" * 32, PORTRAIT_JPEG)
    assert caught.value.code == "person_not_registered"


def test_the_search_finds_a_folded_family_name_as_the_policy_allows(node: Node, org: str) -> None:
    who = principal(org)
    register_person(
        node.planes, node.spine, who, person("B1", org, family_name="Čech-Łoś"), clock=clock
    )
    register_person(
        node.planes, node.spine, who, person("B2", org, family_name="Other"), clock=clock
    )
    with node.planes.sovereign_session() as session:
        found = search_people(session, node.spine, who, "CECH ŁOS", organisation=org)
    assert len(found) == 1
    fields = found[0].fields
    assert fields["family_name"].value == "Čech-Łoś"
    assert fields["birth_date"].value == "1998-04-12"
    assert {v.effect.value for v in fields.values()} == {"allow"}
    abroad = principal(org, region=Region.THIRD_COUNTRY, name="abroad")
    with node.planes.sovereign_session() as session:
        (seen,) = search_people(session, node.spine, abroad, "Čech-Łoś", organisation=org)
    assert {(v.value, v.reason) for v in seen.fields.values()} == {(None, "outside-eu")}


def test_export_includes_the_registration_and_erasure_shreds_it(
    node: Node, org: str, tmp_path: Path
) -> None:
    who = principal(org)
    sid = register_person(node.planes, node.spine, who, person("D1", org), clock=clock).subject_id
    set_photo(node.planes, node.spine, who, sid, PORTRAIT_JPEG)
    export = export_subject(node.planes, node.spine, sid, operator="system", settings=node.settings)
    (table,) = [t for t in export.tables if t.table == "person_registration"]
    (row,) = table.rows
    assert (row["family_name"], row["given_names"], row["document_number"]) == (
        "Müller", "Anaïs", "19AB12345",
    )  # fmt: skip
    assert (row["email"], row["document_expiry"], row["nationality"]) == (
        "anais@example.org", "2030-06-30", "FRA",
    )  # fmt: skip
    assert isinstance(row["photo"], str)
    assert len(row["photo"]) > 100
    assert json.dumps(export.to_json())  # portable JSON (Art. 20)
    with node.planes.sovereign_session() as sovereign:
        stored = sovereign.get(PersonRegistration, sid)
    assert stored is not None
    erase_subject(node.planes, node.spine, sid, "system", clock=clock)
    with pytest.raises(KeyDestroyedError):
        node.spine.cipher.open(sid, "identity", "family_name", stored.family_name)
    with pytest.raises(KeyDestroyedError):
        node.spine.cipher.open(sid, "photo", "photo", stored.photo)
    with node.planes.sovereign_session() as sovereign:
        assert sovereign.get(PersonRegistration, sid) is None
