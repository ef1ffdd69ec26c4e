"""The subject access export holds every item Podium holds on a real Paris 2024 athlete."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from podium.core.db import Planes
from podium.people import Participant, Person, Team, TeamMember
from podium.privacy.audit import AuditRecord
from podium.results import MedalRecord, UnitResult
from podium.subjects import SubjectNotFoundError, export_subject, write_export
from tests.subjects.conftest import Node, medallist


def independent_rows(planes: Planes, code: str) -> dict[str, int]:
    """Count, by hand, the rows of every table that concern the participant."""
    with planes.games_session() as games, planes.sovereign_session() as sov:
        participant = games.get(Participant, code)
        assert participant is not None
        sid = participant.subject_id
        teams = list(
            games.scalars(select(TeamMember.team_code).where(TeamMember.participant_code == code))
        )
        codes = [code, *teams]
        counts = {
            "participant": 1,
            "team_member": len(teams),
            "team": len(games.scalars(select(Team).where(Team.code.in_(teams))).all()),
            "unit_result": len(
                games.scalars(select(UnitResult).where(UnitResult.competitor_code.in_(codes))).all()
            ),
            "medal": len(
                games.scalars(
                    select(MedalRecord).where(MedalRecord.competitor_code.in_(codes))
                ).all()
            ),
            "person": 1 if sov.get(Person, sid) else 0,
            "audit_record": len(
                sov.scalars(select(AuditRecord).where(AuditRecord.subject == sid)).all()
            ),
        }
    return {k: v for k, v in counts.items() if v}


def test_export_of_a_medallist_holds_every_row_of_both_planes(node: Node, tmp_path: Path) -> None:
    code = medallist(node.planes)
    export = export_subject(node.planes, node.spine, code, settings=node.settings)
    exported = {t.table: len(t.rows) for t in export.tables}
    assert exported == independent_rows(node.planes, code)
    assert exported["unit_result"] > 5
    assert exported["medal"] >= 1
    assert exported["team_member"] >= 1
    with node.planes.sovereign_session() as sov:
        person = sov.get(Person, export.subject_id)
        assert person is not None
        name = node.spine.cipher.open(export.subject_id, "identity", "full_name", person.full_name)
    (row,) = next(t for t in export.tables if t.table == "person").rows
    assert row["full_name"] == name
    assert export.accesses[-1]["action"] == "subjects.subject.export"
    info = export.information
    assert info["source"] == "Paris 2024 official results / accreditation data"
    assert {p["name"] for p in info["purposes"]} >= {"data-subject-rights", "results"}
    assert any(
        r["role"] == "dpo" and tuple(r["regions"]) == ("eu-eea",) for r in info["recipients"]
    )

    json_path, html_path = write_export(export, tmp_path / "out")
    data = json.loads(json_path.read_text())
    assert data["subject_id"] == export.subject_id
    assert sum(len(t["rows"]) for t in data["tables"]) == export.row_count()
    html = html_path.read_text()
    assert '<html lang="en">' in html
    assert "<script" not in html
    assert "<h1>" in html
    assert html.count('<th scope="col">') > 20
    assert name is not None
    assert name.replace("'", "&#x27;") in html


def test_export_by_subject_id_equals_export_by_code(node: Node) -> None:
    code = medallist(node.planes)
    by_code = export_subject(node.planes, node.spine, code)
    by_id = export_subject(node.planes, node.spine, by_code.subject_id)
    assert by_id.participant_codes == (code,)
    assert [t.table for t in by_id.tables] == [t.table for t in by_code.tables]


def test_an_unknown_subject_is_refused(node: Node) -> None:
    with pytest.raises(SubjectNotFoundError) as caught:
        export_subject(node.planes, node.spine, "0000000")
    assert caught.value.code == "subject_not_found"
