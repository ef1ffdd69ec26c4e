"""Erasure (Art. 17): crypto-shredding reaches copies, holds keep, imports never re-create."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.people import Participant, Person
from podium.privacy.errors import KeyDestroyedError
from podium.privacy.register import SubjectStatus
from podium.privacy.spine import open_spine
from podium.results import UnitResult
from podium.subjects import (
    ERASED,
    SubjectErasedError,
    erase_subject,
    export_subject,
    place_hold,
    rectify,
)
from tests.subjects.conftest import Node, medallist

SEALED = {"full_name": "identity", "birth_date": "birth-date"}


def test_an_erased_persons_fields_cannot_be_decrypted_from_a_copy_taken_before(
    node: Node,
) -> None:
    code = medallist(node.planes)
    copy = node.settings.data_dir.parent / "backup.sqlite"
    shutil.copy(node.settings.data_dir / "sovereign.sqlite", copy)
    outcome = erase_subject(node.planes, node.spine, code, "system", "DSR-000001")
    assert outcome.complete
    assert outcome.keys_destroyed == 2
    node.spine.close()
    node.planes.dispose()

    backup = open_planes(
        Settings(data_dir=node.settings.data_dir, sovereign_db_url=f"sqlite:///{copy}")
    )
    fresh = open_spine(Settings(data_dir=node.settings.data_dir))  # new SubjectKeys
    try:
        with backup.sovereign_session() as sov:
            person = sov.get(Person, outcome.subject_id)
            assert person is not None
            assert person.full_name is not None
            for field, category in SEALED.items():
                token = getattr(person, field)
                with pytest.raises(KeyDestroyedError):
                    fresh.cipher.open(outcome.subject_id, category, field, token)
                assert fresh.cipher.open_or_none(outcome.subject_id, category, field, token) is None
    finally:
        fresh.close()
        backup.dispose()


def test_erasure_deletes_the_person_keeps_published_results_and_is_idempotent(node: Node) -> None:
    code = medallist(node.planes)
    with node.planes.games_session() as games:
        results = games.scalar(
            select(func.count()).select_from(UnitResult).where(UnitResult.competitor_code == code)
        )
    outcome = erase_subject(node.planes, node.spine, code, "system", "DSR-000001")
    kept = {(i.table, i.category): i.reason for i in outcome.items if i.action == "kept"}
    assert "Art. 17(3)(d)" in kept["unit_result", "published-identity"]
    assert "Art. 17(3)(b), (e)" in kept["audit_record", "audit"]
    assert "Art. 17(3)(b), (e)" in kept["audit_record", "pseudonym"]  # not "published"
    assert "Art. 17(3)(d)" in kept["participant", "pseudonym"]
    assert {(i.table, i.category) for i in outcome.items if i.action == "erased"} == {
        ("person", "identity"),
        ("person", "birth-date"),
    }
    with node.planes.games_session() as games, node.planes.sovereign_session() as sov:
        assert games.get(Participant, code) is not None
        assert (
            games.scalar(
                select(func.count())
                .select_from(UnitResult)
                .where(UnitResult.competitor_code == code)
            )
            == results
        )
        assert sov.get(Person, outcome.subject_id) is None
        status = sov.get(SubjectStatus, outcome.subject_id)
        assert status is not None
        assert status.erased_at is not None
        assert status.erasure_request == "DSR-000001"

    again = erase_subject(node.planes, node.spine, code, "system", "DSR-000001")
    assert again.already_erased
    assert not again.changed
    assert "already erased" in again.summary()

    assert node.reimport() == 0
    with node.planes.sovereign_session() as sov:
        assert sov.get(Person, outcome.subject_id) is None

    with pytest.raises(SubjectErasedError) as caught:
        rectify(node.planes, node.spine, code, {"full_name": "X"}, "system")
    assert caught.value.code == "subject_erased"


def test_a_legal_hold_keeps_the_held_category(node: Node) -> None:
    code = medallist(node.planes)
    hold = place_hold(
        node.planes,
        node.spine,
        code,
        "claim 2025-17 before the CAS",
        "system",
        categories=["identity"],
    )
    outcome = erase_subject(node.planes, node.spine, code, "system")
    assert not outcome.complete
    held = [i for i in outcome.items if i.category == "identity"]
    assert held[0].action == "kept"
    assert f"legal hold {hold}" in held[0].reason
    export = export_subject(node.planes, node.spine, code)
    (row,) = next(t for t in export.tables if t.table == "person").rows
    assert isinstance(row["full_name"], str)
    assert row["birth_date"] is None
    assert node.spine.keys.is_shredded(outcome.subject_id, "birth-date")
    assert not node.spine.keys.is_shredded(outcome.subject_id, "identity")
    assert node.reimport() == 0
    with node.planes.sovereign_session() as sov:
        person = sov.get(Person, outcome.subject_id)
        assert person is not None
        assert person.birth_date is None
        assert person.full_name is not None


def test_the_export_after_erasure_shows_the_published_data_only(node: Node) -> None:
    code = medallist(node.planes)
    erase_subject(node.planes, node.spine, code, "system")
    export = export_subject(node.planes, node.spine, code)
    tables = {t.table for t in export.tables}
    assert "person" not in tables
    assert {"participant", "unit_result", "audit_record", "subject_status"} <= tables
    assert export.status["erased_at"] is not None
    assert ERASED == {"erased": True}
