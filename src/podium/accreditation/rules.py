"""Pure rules of the accreditation lifecycle: which step may follow which status.

    applied ──submit──► in_vetting ──vet favourable──► approved ──print──► printed
                            │  └──vet unfavourable / timeout──► refused      │
                            └──refuse──► refused ──appeal (once)──► in_vetting │
                                                  └──appeal granted──► approved│
    printed ──validate (collection)──► validated ──suspend──► suspended ──reinstate──┘
    approved / printed / validated / suspended ──revoke──► revoked (final)

After the Olympic Management System's accreditation flow (Podium issue 5) and, for the
statutory timer, the French rule for Paris 2024: the vetting authority gives a binding
opinion within two months; no opinion in time counts as a refusal (Code de la sécurité
intérieure, art. L. 211-11-1, as Podium models it). Approval comes only from the
vetting authority's favourable opinion (or an appeal granted): an officer may refuse,
never approve around the vetting. Values in, values out: no I/O.
"""

from __future__ import annotations

import enum
from datetime import datetime

from dateutil.relativedelta import relativedelta

from podium.accreditation.errors import TransitionError
from podium.accreditation.models import AccreditationStatus as S

__all__ = [
    "FINAL",
    "REASON_REQUIRED",
    "TRANSITIONS",
    "Action",
    "check_reason",
    "next_status",
    "vetting_due",
]


class Action(enum.StrEnum):
    """A lifecycle step; its value is the last word of the audit event type."""

    SUBMIT = "submit"
    VET_FAVOURABLE = "vet_favourable"
    VET_UNFAVOURABLE = "vet_unfavourable"
    VET_TIMEOUT = "vet_timeout"
    REFUSE = "refuse"
    APPEAL_REVET = "appeal_revet"
    APPEAL_GRANT = "appeal_grant"
    APPEAL_DISMISS = "appeal_dismiss"
    PRINT = "print"
    VALIDATE = "validate"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REVOKE = "revoke"


_PRINTABLE = (S.APPROVED, S.PRINTED, S.VALIDATED)

TRANSITIONS: dict[Action, tuple[tuple[S, ...], S | None]] = {
    Action.SUBMIT: ((S.APPLIED,), S.IN_VETTING),
    Action.VET_FAVOURABLE: ((S.IN_VETTING,), S.APPROVED),
    Action.VET_UNFAVOURABLE: ((S.IN_VETTING,), S.REFUSED),
    Action.VET_TIMEOUT: ((S.IN_VETTING,), S.REFUSED),
    Action.REFUSE: ((S.APPLIED, S.IN_VETTING, S.APPROVED), S.REFUSED),
    Action.APPEAL_REVET: ((S.REFUSED,), S.IN_VETTING),
    Action.APPEAL_GRANT: ((S.REFUSED,), S.APPROVED),
    Action.APPEAL_DISMISS: ((S.REFUSED,), S.REFUSED),
    Action.PRINT: (_PRINTABLE, S.PRINTED),
    Action.VALIDATE: ((S.PRINTED,), S.VALIDATED),
    Action.SUSPEND: ((S.PRINTED, S.VALIDATED), S.SUSPENDED),
    # Back to the status before the suspension (printed or validated): decided by history.
    Action.REINSTATE: ((S.SUSPENDED,), None),
    Action.REVOKE: ((S.APPROVED, S.PRINTED, S.VALIDATED, S.SUSPENDED), S.REVOKED),
}
"""Action → (statuses it may start from, status it leads to; None: see `next_status`)."""

FINAL = frozenset({S.REVOKED})
"""Statuses no step leaves."""

REASON_REQUIRED = frozenset(
    {
        Action.REFUSE,
        Action.VET_UNFAVOURABLE,
        Action.APPEAL_REVET,
        Action.APPEAL_GRANT,
        Action.APPEAL_DISMISS,
        Action.SUSPEND,
        Action.REVOKE,
    }
)
"""Steps that must say why (a refusal, an appeal's ground, a suspension, a revocation)."""

_APPEALS = frozenset({Action.APPEAL_REVET, Action.APPEAL_GRANT, Action.APPEAL_DISMISS})


def next_status(
    action: Action,
    current: str,
    *,
    appealed: bool = False,
    before_suspension: str | None = None,
) -> S:
    """Return the status `action` leads to from `current`, or refuse the step.

    Args:
        action: the step.
        current: the accreditation's status now (an `AccreditationStatus` value).
        appealed: whether its refusal was already appealed (an appeal is allowed once).
        before_suspension: for `reinstate`, the status the suspension interrupted.

    Raises:
        TransitionError: code `accreditation_transition` (the step is not allowed from
            `current`) or `appeal_used` (a second appeal).
    """
    starts, target = TRANSITIONS[action]
    if current not in starts:
        allowed = ", ".join(s.value for s in starts)
        raise TransitionError(
            f"cannot {action.value} an accreditation that is {current} (only from {allowed})"
        )
    if action in _APPEALS and appealed:
        raise TransitionError(
            "this refusal was already appealed: an accreditation may be appealed once",
            code="appeal_used",
        )
    if target is None:
        if before_suspension not in (S.PRINTED, S.VALIDATED):
            return S.PRINTED
        return S(before_suspension)
    return target


def check_reason(action: Action, reason: str | None) -> str | None:
    """Return the reason stripped, or refuse a step that needs one and has none.

    Raises:
        TransitionError: code `reason_required`, or `reason_too_long` (over 200 characters).
    """
    text = (reason or "").strip() or None
    if text is None and action in REASON_REQUIRED:
        raise TransitionError(f"{action.value} needs a reason", code="reason_required")
    if text is not None and len(text) > 200:
        raise TransitionError("a reason is at most 200 characters", code="reason_too_long")
    return text


def vetting_due(applied_or_sent: datetime, months: int) -> datetime:
    """Return when the vetting authority's answer is due: `months` calendar months later.

    A date with no counterpart (31 August + 1 month) falls on the month's last day.
    """
    return applied_or_sent + relativedelta(months=months)
