"""The results capture API: what a venue results manager or a timing system sends.

`POST /api/units/{rsc}/live` takes a `UnitUpdate` (statuses, the unit's result list, a
`Note` for a correction, explicit medals) and answers with the unit's new statuses and
the feed documents queued. Only an operator allowed to write that discipline's results
may send it: a token with `results:unit:write` (every discipline) or
`results:<discipline>:write` (`results:ath:write`); a staff session needs the
`results-manager` role. The update is checked whole before anything is written and is
stored in one transaction with its outbox rows; the feed engine is woken at commit.
"""

from __future__ import annotations

from typing import Annotated

import structlog
from fastapi import APIRouter, Path, Request

from podium.core.db import Planes
from podium.core.errors import PermissionDeniedError
from podium.diffusion.capture import CaptureOutcome, UnitUpdate, capture
from podium.diffusion.node import DiffusionNode
from podium.privacy.operators import Principal
from podium.web.auth import CurrentOperator
from podium.web.deps import now_of

__all__ = ["RESULTS_MANAGER_ROLE", "may_write_results", "router"]

router = APIRouter(prefix="/api", tags=["results capture"])

_log = structlog.get_logger(__name__)

RESULTS_MANAGER_ROLE = "results-manager"
"""The role a signed-in member of staff needs to enter results."""

UnitCode = Annotated[str, Path(min_length=34, max_length=34, description="The unit's RSC")]


def may_write_results(principal: Principal, discipline: str) -> bool:
    """Whether the operator may write results of a discipline.

    Args:
        principal: the authenticated operator (token or staff session).
        discipline: the three-letter ODF discipline code, for example `ATH`.
    """
    if principal.scopes is None:  # a staff web session: decided by role
        return RESULTS_MANAGER_ROLE in principal.roles
    return principal.allows("results:unit:write") or principal.allows(
        f"results:{discipline.lower()}:write"
    )


@router.post("/units/{rsc}/live")
def post_unit_update(
    rsc: UnitCode, update: UnitUpdate, principal: CurrentOperator, request: Request
) -> CaptureOutcome:
    """Apply a results update to one unit and queue its ODF messages.

    Raises:
        PermissionDeniedError: `results_permission_missing` (HTTP 403) for an operator
            without the results permission of the unit's discipline.
        NotFoundError: `unit_not_found` (404).
        InvalidTransitionError: `result_status_transition` or `schedule_status_transition`
            (422), with the allowed next statuses.
        InvalidInputError: `note_required`, `duplicate_competitor`, `unknown_noc`,
            `unknown_irm`, `medallist_not_in_unit`, `medals_not_official` (422).

    Rule source: ODF Foundation Principles §6.13 (statuses), §9.1.1 (message order).
    """
    if not may_write_results(principal, rsc[:3]):
        raise PermissionDeniedError(
            f"operator {principal.username!r} may not write results of discipline {rsc[:3]}",
            code="results_permission_missing",
        )
    planes: Planes = request.app.state.planes
    with planes.games_session() as session:
        outcome = capture(session, rsc, update, now_of(request))
    node: DiffusionNode = request.app.state.diffusion
    node.captured()
    _log.info(
        "results captured",
        unit=rsc,
        operator=principal.operator_id,
        result_status=outcome.result_status,
        schedule_status=outcome.schedule_status,
    )
    return outcome
