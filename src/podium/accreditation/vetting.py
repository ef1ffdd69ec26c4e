"""Vetting: screening requests to the vetting authority, its opinions, the statutory timer.

Submitting an application opens a `VettingCase` (sovereign plane) due
`vetting_period_months` calendar months later. The authority answers through a
`VettingConnector`; the default, `ManualVetting`, is a vetting officer's decision entered
at the desk. No answer by the due date counts as a refusal (`expire_overdue_vetting`,
reason `vetting_timeout`): the French rule for Paris 2024, a binding opinion within two
months (Code de la sécurité intérieure, art. L. 211-11-1, as Podium models it).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol

from sqlalchemy import insert, select, update

from podium.accreditation.context import Desk
from podium.accreditation.models import Accreditation, AccreditationStatus, VettingCase
from podium.accreditation.rules import Action, vetting_due
from podium.accreditation.service import Change, Hook, StepContext, advance, chunks
from podium.core.categories import DataCategory
from podium.privacy.operators import Principal

__all__ = [
    "TIMEOUT_REASON",
    "ManualVetting",
    "Opinion",
    "VettingAnswer",
    "VettingConnector",
    "close_cases",
    "expire_overdue_vetting",
    "record_vetting",
    "submit",
]

TIMEOUT_REASON = "vetting_timeout"
"""The refusal reason of an application the authority did not answer in time."""
_OPINION_FIELD = "opinion"  # the column name, as the subject export opens it
_WARM = 200  # data keys warmed per key-store query (below the key cache's size)


class Opinion(enum.StrEnum):
    """The vetting authority's binding opinion."""

    FAVOURABLE = "favourable"
    UNFAVOURABLE = "unfavourable"


@dataclass(frozen=True, slots=True)
class VettingAnswer:
    """One answer of the vetting authority.

    Attributes:
        accreditation_id: the accreditation screened.
        opinion: favourable or unfavourable.
        note: the authority's note (sealed; never copied to the games plane).

    """

    accreditation_id: int
    opinion: Opinion
    note: str | None = None


class VettingConnector(Protocol):
    """How answers come from a vetting authority (a manual desk, or an authority's API)."""

    def answers(self) -> Sequence[VettingAnswer]:
        """Return the answers received since the last call."""
        ...


class ManualVetting:
    """The default connector: a vetting officer's decisions, entered at the desk."""

    def __init__(self) -> None:
        """Start with no pending decision."""
        self._pending: list[VettingAnswer] = []

    def decide(self, accreditation_id: int, opinion: Opinion, note: str | None = None) -> None:
        """Enter an officer's decision; `record_vetting` writes it."""
        self._pending.append(VettingAnswer(accreditation_id, opinion, note))

    def answers(self) -> Sequence[VettingAnswer]:
        """Return and forget the decisions entered so far."""
        taken, self._pending = self._pending, []
        return taken


def _open_cases(ctx: StepContext, changes: list[Change]) -> None:
    due = vetting_due(ctx.at, ctx.desk.vetting_period_months)
    for change in changes:
        change.values["vetting_due_at"] = due
        if change.row["status"] == AccreditationStatus.REFUSED.value:
            change.values["appealed_at"] = ctx.at  # sent back to vetting on appeal
    ctx.sovereign.execute(
        insert(VettingCase),
        [
            {
                "subject_id": c.row["subject_id"],
                "accreditation_id": c.row["id"],
                "opened_at": ctx.at,
                "due_at": due,
                "state": "open",
            }
            for c in changes
        ],
    )


def submit(
    desk: Desk,
    principal: Principal | None,
    ids: Sequence[int],
    *,
    reason: str | None = None,
    action: Action = Action.SUBMIT,
) -> list[Change]:
    """Send applications to vetting: status `in_vetting`, a case due in the statutory period.

    Args:
        desk: the desk's services.
        principal: the operator (None: the host).
        ids: accreditation numbers in status `applied` (or `refused`, with
            `action=Action.APPEAL_REVET`, for an appeal sent back to vetting).
        reason: why (required for an appeal).
        action: `SUBMIT`, or `APPEAL_REVET`.

    Raises:
        See `service.advance`.
    """
    return advance(desk, principal, ids, action, reason=reason, hook=_open_cases)


def _close(ctx: StepContext, state: str, params: list[dict[str, object]]) -> None:
    """Close the open cases of the accreditations in `params`, by primary key."""
    case_of: dict[object, int] = {}
    numbers = [int(str(p["number"])) for p in params]
    for part in chunks(numbers):
        case_of.update(
            ctx.sovereign.execute(
                select(VettingCase.accreditation_id, VettingCase.id).where(
                    VettingCase.accreditation_id.in_(part), VettingCase.state == "open"
                )
            ).all()
        )
    rows = [
        {
            "id": case_of[p["number"]],
            "state": state,
            "closed_at": ctx.at,
            "decided_by": ctx.actor,
            "opinion": p["opinion"],
        }
        for p in params
        if p["number"] in case_of
    ]
    if rows:
        ctx.sovereign.execute(update(VettingCase), rows)


def close_cases(state: str, opinions: dict[int, tuple[str, str | None]]) -> Hook:
    """Return a step hook closing the changed accreditations' open vetting cases.

    Args:
        state: the cases' new state (`answered`, `timeout`, `withdrawn`).
        opinions: accreditation number → (opinion, note) to seal, when answered.
    """

    def hook(ctx: StepContext, changes: list[Change]) -> None:
        keys, cipher = ctx.desk.spine.keys, ctx.desk.spine.cipher
        category = DataCategory.VETTING.value
        answered = [c.row["subject_id"] for c in changes if c.row["id"] in opinions]
        keys.create_many((subject, category) for subject in answered)
        params: list[dict[str, object]] = []
        for start in range(0, len(changes), _WARM):
            part = changes[start : start + _WARM]
            keys.warm((c.row["subject_id"], category) for c in part if c.row["id"] in opinions)
            for change in part:
                opinion = opinions.get(change.row["id"])
                text = None
                if opinion is not None:
                    text = opinion[0] if opinion[1] is None else f"{opinion[0]}: {opinion[1]}"
                params.append(
                    {
                        "number": change.row["id"],
                        "opinion": cipher.seal(
                            change.row["subject_id"], category, _OPINION_FIELD, text
                        ),
                    }
                )
        _close(ctx, state, params)

    return hook


def record_vetting(
    desk: Desk,
    principal: Principal | None,
    connector: VettingConnector,
) -> dict[str, int]:
    """Record the connector's answers: favourable → approved, unfavourable → refused.

    Args:
        desk: the desk's services.
        principal: the vetting officer (scope `accreditation:vetting:write`, role
            `vetting-officer`), or None for the host.
        connector: where the answers come from (`ManualVetting` by default).

    Returns:
        How many accreditations were approved and refused.

    Raises:
        See `service.advance` (an answer for an accreditation not in vetting is refused
        with `accreditation_transition`, and none of the answers is recorded).
    """
    answers = list(connector.answers())
    counts = {"approved": 0, "refused": 0}
    for opinion, action, key in (
        (Opinion.FAVOURABLE, Action.VET_FAVOURABLE, "approved"),
        (Opinion.UNFAVOURABLE, Action.VET_UNFAVOURABLE, "refused"),
    ):
        chosen = {
            a.accreditation_id: (a.opinion.value, a.note) for a in answers if a.opinion is opinion
        }
        if chosen:
            reason = None if opinion is Opinion.FAVOURABLE else "vetting_unfavourable"
            hook = close_cases("answered", chosen)
            advance(desk, principal, list(chosen), action, reason=reason, hook=hook)
            counts[key] = len(chosen)
    return counts


def expire_overdue_vetting(desk: Desk, now: datetime | None = None) -> int:
    """Refuse every application whose vetting answer is overdue (the statutory timer).

    Args:
        desk: the desk's services.
        now: the time to judge by; defaults to the desk's clock.

    Returns:
        How many applications were refused with reason `vetting_timeout`.
    """
    at = now or desk.clock()
    with desk.planes.sovereign_session() as sovereign:
        overdue = list(
            sovereign.scalars(
                select(VettingCase.accreditation_id).where(
                    VettingCase.state == "open", VettingCase.due_at <= at
                )
            )
        )
    if not overdue:
        return 0
    with desk.planes.games_session() as games:
        still: list[int] = []
        for part in chunks(overdue):
            still += games.scalars(
                select(Accreditation.id).where(
                    Accreditation.id.in_(part),
                    Accreditation.status == AccreditationStatus.IN_VETTING.value,
                )
            )
    if not still:
        return 0
    timed = replace(desk, clock=lambda: at)
    advance(
        timed,
        None,
        still,
        Action.VET_TIMEOUT,
        reason=TIMEOUT_REASON,
        hook=close_cases("timeout", {}),
    )
    return len(still)
