"""Retention (Art. 5(1)(e)): nothing before the period ends, everything after, once."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from podium.people import Person
from podium.privacy.audit import AuditRecord
from podium.subjects import export_subject, retention_plan, run_retention
from tests.subjects.conftest import Node, medallist

BEFORE = datetime(2025, 3, 1, tzinfo=UTC)  # within 365 days of 2024-09-08
AFTER = datetime(2026, 11, 29, tzinfo=UTC)


def count_persons(node: Node, column: str) -> int:
    with node.planes.sovereign_session() as sov:
        col = getattr(Person, column)
        return sov.scalar(select(func.count()).select_from(Person).where(col.is_not(None))) or 0


def test_nothing_expires_before_the_period_ends(node: Node) -> None:
    plan = retention_plan(node.planes, node.spine, BEFORE, {})
    assert plan
    identity = [i for i in plan if i.category == "identity"]
    assert identity
    assert not any(i.expired for i in identity)
    assert run_retention(node.planes, node.spine, BEFORE, {}) == [
        i for i in plan if i.expired and i.count == 0
    ]
    assert count_persons(node, "full_name") > 10000


def test_an_override_shortens_a_period(node: Node) -> None:
    plan = retention_plan(node.planes, node.spine, BEFORE, {"birth-date": 30})
    birth = [i for i in plan if i.category == "birth-date"]
    assert birth
    assert all(i.expired for i in birth)


def test_after_the_period_sealed_data_is_emptied_and_keys_shredded_once(node: Node) -> None:
    names = count_persons(node, "full_name")
    dry = run_retention(node.planes, node.spine, AFTER, {}, dry_run=True)
    by_action = {(i.category, i.table, i.column, i.action): i.count for i in dry}
    assert by_action["identity", "person", "full_name", "empty-sealed"] == names
    assert by_action["identity", "key-store", "*", "shred-keys"] >= names
    assert count_persons(node, "full_name") == names  # a dry run changes nothing

    with node.planes.sovereign_session() as sov:
        audit_before = sov.scalar(select(func.count()).select_from(AuditRecord))
    done = run_retention(node.planes, node.spine, AFTER, {})
    assert {(i.category, i.table, i.column, i.action): i.count for i in done} == by_action
    assert count_persons(node, "full_name") == 0
    assert count_persons(node, "birth_date") == 0
    subject = export_subject(node.planes, node.spine, medallist(node.planes)).subject_id
    assert node.spine.keys.is_shredded(subject, "identity")
    with node.planes.sovereign_session() as sov:
        actions = set(
            sov.scalars(select(AuditRecord.action).where(AuditRecord.seq > (audit_before or 0)))
        )
    assert "subjects.retention.erase" in actions

    again = run_retention(node.planes, node.spine, AFTER, {})
    assert again
    assert all(i.count == 0 for i in again)
    assert node.reimport() == 0  # a later import does not bring the values back
    assert count_persons(node, "full_name") == 0
