"""The desk's lifecycle steps: refuse, appeal, print, validate, suspend, reinstate, revoke.

Submission and vetting are in `vetting`; the rules are in `rules`; each function here is
one transaction through `service.advance` (history row + audit record per accreditation)
and accepts one accreditation number or many (a delegation at once).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from podium.accreditation.context import Desk
from podium.accreditation.credentials import card_body, issue_credential, revoke_serials
from podium.accreditation.rules import Action
from podium.accreditation.service import Change, StepContext, advance
from podium.accreditation.vetting import close_cases, submit
from podium.privacy.operators import Principal

__all__ = [
    "REPRINT_REASON",
    "REVOKED_REASON",
    "AppealOutcome",
    "appeal",
    "print_cards",
    "refuse",
    "reinstate",
    "revoke",
    "suspend",
    "validate",
]

REPRINT_REASON = "reprinted"
"""Revocation-list reason code of a card replaced by a re-print."""
REVOKED_REASON = "revoked"
"""Revocation-list reason code of a revoked accreditation's card."""


class AppealOutcome(enum.StrEnum):
    """How an appeal against a refusal ends (an accreditation may be appealed once)."""

    REVET = "revet"  # back to the vetting authority, a new statutory period
    GRANT = "grant"  # re-decided: approved
    DISMISS = "dismiss"  # the refusal stands


def refuse(desk: Desk, principal: Principal | None, ids: Sequence[int], reason: str) -> int:
    """Refuse applications (applied, in vetting or approved, not yet printed).

    An open vetting case is closed as `withdrawn`. Raises as `service.advance`.

    Returns:
        How many were refused.
    """
    hook = close_cases("withdrawn", {})
    return len(advance(desk, principal, ids, Action.REFUSE, reason=reason, hook=hook))


def _mark_appealed(ctx: StepContext, changes: list[Change]) -> None:
    for change in changes:
        change.values["appealed_at"] = ctx.at


def appeal(
    desk: Desk,
    principal: Principal | None,
    number: int,
    outcome: AppealOutcome,
    reason: str,
) -> str:
    """Record the appeal of a refused accreditation and its outcome (once per accreditation).

    Args:
        desk: the desk's services.
        principal: the accreditation officer (None: the host).
        number: the accreditation number.
        outcome: back to vetting, granted, or dismissed.
        reason: the appeal's ground and decision, in words.

    Returns:
        The accreditation's status after the appeal.

    Raises:
        TransitionError: `accreditation_transition` (not refused), `appeal_used`,
            `reason_required`; and as `service.advance`.
    """
    if outcome is AppealOutcome.REVET:
        changes = submit(desk, principal, [number], reason=reason, action=Action.APPEAL_REVET)
        return changes[0].to_status
    action = Action.APPEAL_GRANT if outcome is AppealOutcome.GRANT else Action.APPEAL_DISMISS
    changes = advance(desk, principal, [number], action, reason=reason, hook=_mark_appealed)
    return changes[0].to_status


def _print(ctx: StepContext, changes: list[Change]) -> None:
    signer, access = ctx.desk.keyring.active, ctx.desk.access
    bodies = {cat: card_body(access, cat) for cat in {c.row["category"] for c in changes}}
    replaced = []
    for change in changes:
        old = change.row["card_serial"] or 0
        serial = old + 1
        if old:
            replaced.append((change.row["id"], old, REPRINT_REASON))
        change.values.update(
            card_serial=serial,
            credential=issue_credential(
                signer, access, change.row["id"], serial, bodies[change.row["category"]]
            ),
            valid_from=ctx.desk.access.validity.valid_from,
            valid_until=ctx.desk.access.validity.valid_until,
        )
    revoke_serials(ctx.games, replaced, ctx.at)


def print_cards(
    desk: Desk, principal: Principal | None, ids: Sequence[int], reason: str | None = None
) -> list[Change]:
    """Print cards: a new card serial and a signed credential; a re-print revokes the old.

    Args:
        desk: the desk's services (the keyring's active key signs).
        principal: the accreditation officer (None: the host).
        ids: approved, printed or validated accreditations.
        reason: why a card is re-printed (lost, damaged), if it is.

    Returns:
        The changes; `values["credential"]` is each card's Base45 text.
    """
    return advance(desk, principal, ids, Action.PRINT, reason=reason, hook=_print)


def validate(desk: Desk, principal: Principal | None, ids: Sequence[int]) -> int:
    """Validate printed cards at collection (the holder's identity checked at the desk)."""
    return len(advance(desk, principal, ids, Action.VALIDATE))


def suspend(desk: Desk, principal: Principal | None, ids: Sequence[int], reason: str) -> int:
    """Suspend accreditations: gates refuse them (`suspended`) until reinstated."""
    return len(advance(desk, principal, ids, Action.SUSPEND, reason=reason))


def reinstate(
    desk: Desk, principal: Principal | None, ids: Sequence[int], reason: str | None = None
) -> int:
    """Lift suspensions: back to the status the suspension interrupted."""
    return len(advance(desk, principal, ids, Action.REINSTATE, reason=reason))


def _revoke(ctx: StepContext, changes: list[Change]) -> None:
    revoke_serials(
        ctx.games,
        [
            (c.row["id"], c.row["card_serial"], REVOKED_REASON)
            for c in changes
            if c.row["card_serial"]
        ],
        ctx.at,
    )


def revoke(desk: Desk, principal: Principal | None, ids: Sequence[int], reason: str) -> int:
    """Revoke accreditations for good; a printed card joins the revocation list."""
    return len(advance(desk, principal, ids, Action.REVOKE, reason=reason, hook=_revoke))
