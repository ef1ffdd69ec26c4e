"""The Paris 2024 population: organisations and applications for every imported participant.

Creates the responsible organisations (every NOC of the `noc` table, each federation
that sends technical officials, and the organising committee `PARIS2024`) and one
application (status `applied`) per imported participant: athletes in category `A`,
coaches in `Aa` (team officials), technical officials in `J` (international technical
officials; the category code of the Paris 2024 officials' list). Idempotent: a
participant who already has an accreditation is skipped. Written in bulk (executemany,
one audit batch), so the 13,000 people of Paris 2024 take seconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from podium.accreditation.authz import APPLICATION_WRITE, OFFICER_ROLE, actor_id, require
from podium.accreditation.context import Desk
from podium.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    Organisation,
)
from podium.accreditation.quotas import check_quota
from podium.games import Noc
from podium.people import Participant
from podium.privacy.audit import AuditEntry
from podium.privacy.operators import Principal

__all__ = ["OCOG", "ROLE_CATEGORIES", "PopulationReport", "accredit_participants"]

OCOG = ("PARIS2024", "Paris 2024 Organising Committee for the Olympic and Paralympic Games")
"""The organising committee's code and name (kind `ocog`: its operators act on everyone)."""

ROLE_CATEGORIES = {"athlete": "A", "coach": "Aa", "official": "J"}
"""Participant role → accreditation category."""


@dataclass(frozen=True, slots=True)
class PopulationReport:
    """What `accredit_participants` did.

    Attributes:
        organisations: organisations created.
        applications: applications created.
        skipped: participants who already had an accreditation.

    """

    organisations: int
    applications: int
    skipped: int


def _organisations(games: Session) -> int:
    known = set(games.scalars(select(Organisation.code)))
    rows = [{"code": OCOG[0], "name": OCOG[1], "kind": "ocog"}]
    rows += [
        {"code": c, "name": n, "kind": "noc"} for c, n in games.execute(select(Noc.code, Noc.name))
    ]
    nocs = {row["code"] for row in rows}
    federations = set(games.scalars(select(Participant.organisation).distinct())) - nocs
    rows += [
        {"code": code, "name": f"{code} (international federation)", "kind": "if"}
        for code in sorted(federations)
    ]
    new = [row for row in rows if row["code"] not in known]
    if new:
        games.execute(insert(Organisation), new)
    return len(new)


def accredit_participants(desk: Desk, principal: Principal | None = None) -> PopulationReport:
    """Create the organisations and an application for every imported participant.

    Args:
        desk: the desk's services.
        principal: the accreditation officer (an organising-committee operator), or None
            for the host.

    Returns:
        Counts of organisations and applications made, and participants skipped.

    Raises:
        PermissionDeniedError: without `accreditation:application:write` / the officer role.
        QuotaExceededError: an organisation's quota would be exceeded (nothing is written).
    """
    require(principal, APPLICATION_WRITE, OFFICER_ROLE)
    at, actor = desk.clock(), actor_id(principal)
    with desk.planes.games_session() as games, desk.planes.sovereign_session() as sovereign:
        made = _organisations(games)
        games.flush()
        held = set(games.scalars(select(Accreditation.subject_id)))
        people = games.execute(
            select(
                Participant.code,
                Participant.subject_id,
                Participant.organisation,
                Participant.role,
                Participant.function,
            ).order_by(Participant.code)
        ).all()
        todo = [p for p in people if p.subject_id not in held and p.role in ROLE_CATEGORIES]
        wanted = Counter((p.organisation, ROLE_CATEGORIES[p.role]) for p in todo)
        for (organisation, category), count in wanted.items():
            check_quota(games, organisation, category, adding=count)
        rows = [
            {
                "subject_id": p.subject_id,
                "organisation_code": p.organisation,
                "category": ROLE_CATEGORIES[p.role],
                "function": (p.function or p.role.title())[:60],
                "status": AccreditationStatus.APPLIED.value,
                "participant_code": p.code,
                "applied_at": at,
                "updated_at": at,
                "card_serial": 0,
            }
            for p in todo
        ]
        if rows:
            games.execute(insert(Accreditation), rows)
            subjects = {r["subject_id"] for r in rows}
            numbers = {
                s: n
                for s, n in games.execute(select(Accreditation.subject_id, Accreditation.id))
                if s in subjects
            }
            _history(
                desk,
                games,
                sovereign,
                [(numbers[r["subject_id"]], r["subject_id"]) for r in rows],
                actor,
            )
    return PopulationReport(made, len(rows), len(people) - len(todo))


def _history(
    desk: Desk, games: Session, sovereign: Session, made: list[tuple[int, str]], actor: str
) -> None:
    at = desk.clock()
    games.execute(
        insert(AccreditationStep),
        [
            {
                "accreditation_id": n,
                "at": at,
                "from_status": None,
                "to_status": "applied",
                "by": actor,
            }
            for n, _ in made
        ],
    )
    desk.spine.audit.append(
        sovereign,
        [
            AuditEntry(
                actor,
                "accreditation.application.apply",
                s,
                ("category", "status"),
                None,
                "write",
                str(n),
            )
            for n, s in made
        ],
    )
