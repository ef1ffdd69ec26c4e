"""Lifecycle steps of accreditations: each one transaction, recorded twice.

Every step writes an `AccreditationStep` (games plane: the desk's history) and an audit
record `accreditation.application.<action>` (sovereign plane: the tamper-evident log,
GDPR Art. 5(2)). Both planes' transactions are opened together; the audit record is
committed first, then the step, so no step is ever kept without its audit record. Steps
work on one accreditation or, for a whole delegation, on many at once (executemany,
one audit batch): the same rules, the same records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from podium.accreditation.authz import (
    APPLICATION_WRITE,
    OFFICER_ROLE,
    VETTING_ROLE,
    VETTING_WRITE,
    actor_id,
    check_organisation,
    organisation_limit,
    require,
)
from podium.accreditation.context import Desk
from podium.accreditation.errors import AccreditationNotFoundError, OrganisationScopeError
from podium.accreditation.models import Accreditation, AccreditationStep
from podium.accreditation.rules import Action, check_reason, next_status
from podium.privacy.audit import AuditEntry
from podium.privacy.operators import Principal

__all__ = [
    "ORGANISATION_ACTIONS",
    "Change",
    "Hook",
    "StepContext",
    "advance",
    "chunks",
    "step_scope",
    "steps",
]

ORGANISATION_ACTIONS = frozenset({Action.SUBMIT, Action.REFUSE})
"""Steps a responsible organisation's operator may take on its own people; the rest
(vetting, appeals, printing, validation, suspension, revocation) belong to the
organising committee."""
_VETTING_ACTIONS = frozenset({Action.VET_FAVOURABLE, Action.VET_UNFAVOURABLE, Action.VET_TIMEOUT})
_CHUNK = 2000


def chunks(values: Sequence[int], size: int = _CHUNK) -> Iterator[Sequence[int]]:
    """Yield `values` in slices of `size` (bound parameters per statement stay few)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class Change:
    """One accreditation's step being taken: its row as read, and what the step sets.

    Attributes:
        row: the accreditation's values before the step (`id`, `subject_id`, `status`, ...).
        to_status: the status after the step.
        values: further columns the step sets (`card_serial`, `credential`, ...).

    """

    row: dict[str, Any]
    to_status: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StepContext:
    """What a step's hook may use: both sessions, the desk and the step's time."""

    desk: Desk
    games: Session
    sovereign: Session
    at: datetime
    actor: str
    reason: str | None


Hook = Callable[[StepContext, list[Change]], None]

_COLUMNS = (
    Accreditation.id,
    Accreditation.subject_id,
    Accreditation.organisation_code,
    Accreditation.category,
    Accreditation.status,
    Accreditation.card_serial,
    Accreditation.appealed_at,
    Accreditation.valid_from,
    Accreditation.valid_until,
)


def _load(games: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    for part in chunks(ids):
        for row in games.execute(select(*_COLUMNS).where(Accreditation.id.in_(part))).mappings():
            rows[row["id"]] = dict(row)
    missing = [number for number in ids if number not in rows]
    if missing:
        raise AccreditationNotFoundError(f"no accreditation has the number {missing[0]}")
    return [rows[number] for number in ids]


def _before_suspension(games: Session, ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for part in chunks(ids):
        query = (
            select(AccreditationStep.accreditation_id, AccreditationStep.from_status)
            .where(
                AccreditationStep.accreditation_id.in_(part),
                AccreditationStep.to_status == "suspended",
            )
            .order_by(AccreditationStep.id)
        )
        found.update({number: status for number, status in games.execute(query) if status})
    return found


def _changes(games: Session, rows: list[dict[str, Any]], action: Action) -> list[Change]:
    before = (
        _before_suspension(games, [r["id"] for r in rows]) if action is Action.REINSTATE else {}
    )
    return [
        Change(
            row,
            next_status(
                action,
                row["status"],
                appealed=row["appealed_at"] is not None,
                before_suspension=before.get(row["id"]),
            ).value,
        )
        for row in rows
    ]


def step_scope(action: Action) -> str:
    """Return the scope a lifecycle step needs.

    Vetting steps need `accreditation:vetting:write` (the vetting officer's); every other
    step `accreditation:application:write` (the accreditation officer's).

    Args:
        action: the lifecycle step.
    """
    return VETTING_WRITE if action in _VETTING_ACTIONS else APPLICATION_WRITE


def _authorize(principal: Principal | None, action: Action) -> None:
    if action in _VETTING_ACTIONS:
        require(principal, VETTING_WRITE, VETTING_ROLE)
    else:
        require(principal, APPLICATION_WRITE, OFFICER_ROLE)


def _record(
    ctx: StepContext, principal: Principal | None, action: Action, changes: list[Change]
) -> None:
    games = ctx.games
    updates = [
        {"id": c.row["id"], "status": c.to_status, "reason": ctx.reason, "updated_at": ctx.at}
        | c.values
        for c in changes
    ]
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values in updates:
        by_keys.setdefault(tuple(sorted(values)), []).append(values)
    for group in by_keys.values():
        games.execute(update(Accreditation), group)
    games.execute(
        insert(AccreditationStep),
        [
            {
                "accreditation_id": c.row["id"],
                "at": ctx.at,
                "from_status": c.row["status"],
                "to_status": c.to_status,
                "reason": ctx.reason,
                "by": ctx.actor,
            }
            for c in changes
        ],
    )
    purpose = None if principal is None else principal.purpose
    ctx.desk.spine.audit.append(
        ctx.sovereign,
        [
            AuditEntry(
                operator=ctx.actor,
                action=f"accreditation.application.{action.value}",
                subject=c.row["subject_id"],
                fields=("status", *sorted(c.values)),
                purpose=purpose,
                decision="write",
                reason=f"{c.row['id']}:{c.row['status']}>{c.to_status}",
            )
            for c in changes
        ],
        at=ctx.at,
    )


@contextmanager
def steps(desk: Desk) -> Iterator[tuple[Session, Session]]:
    """Open both planes' transactions; the sovereign one (audit) commits first."""
    with desk.planes.games_session() as games, desk.planes.sovereign_session() as sovereign:
        yield games, sovereign
        games.flush()


def advance(  # noqa: PLR0913 - the step, who takes it, on what, why, and its hook
    desk: Desk,
    principal: Principal | None,
    ids: Sequence[int],
    action: Action,
    *,
    reason: str | None = None,
    hook: Hook | None = None,
) -> list[Change]:
    """Take one lifecycle step on accreditations, all or none, in one transaction.

    Args:
        desk: the desk's services.
        principal: the operator (None: a command on the host, audited as `system`).
        ids: accreditation numbers (one, or a whole delegation).
        action: the step (`rules.Action`).
        reason: why; required for refusals, appeals, suspensions, revocations.
        hook: what the step does beyond the status (open a vetting case, sign a card),
            called with the changes before they are written; it may set `Change.values`.

    Returns:
        The changes written.

    Raises:
        PermissionDeniedError: `scope_missing` / `role_missing`; `organisation_forbidden`
            when an organisation's operator names another organisation's person.
        AccreditationNotFoundError: an unknown number.
        TransitionError: `accreditation_transition`, `appeal_used`, `reason_required`.
    """
    _authorize(principal, action)
    text = check_reason(action, reason)
    with steps(desk) as (games, sovereign):
        limit = organisation_limit(games, principal)
        if limit is not None and action not in ORGANISATION_ACTIONS:
            raise OrganisationScopeError(
                f"only the organising committee may {action.value}; a responsible "
                "organisation submits and withdraws (refuses) its own applications"
            )
        rows = _load(games, list(ids))
        for row in rows:
            check_organisation(limit, row["organisation_code"], row["id"])
        changes = _changes(games, rows, action)
        ctx = StepContext(desk, games, sovereign, desk.clock(), actor_id(principal), text)
        if hook is not None:
            hook(ctx, changes)
        if changes:
            _record(ctx, principal, action, changes)
    return changes
