"""The desk's lifecycle forms: one POST route per step, and the batch print of a list.

Each step calls the accreditation domain's lifecycle function, which checks the rules
(`TRANSITIONS`), the operator's role and organisation, writes the history and the audit
record. The web layer decides nothing: it shows the forms whose step the current status
allows, posts them with the CSRF token, and then redirects to the accreditation's page
with the outcome (Post/Redirect/Get), or shows the page again at once with the refusal
beside the form (HTTP 422). "Approve" records the vetting authority's favourable opinion
entered at the desk (`ManualVetting`); printing signs a new credential and revokes the
old card's serial, and the page then offers the card as PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, Response

from podium.accreditation import (
    TRANSITIONS,
    Accreditation,
    Action,
    AppealOutcome,
    Desk,
    ManualVetting,
    Opinion,
    appeal,
    print_cards,
    record_vetting,
    refuse,
    reinstate,
    revoke,
    step_scope,
    submit,
    suspend,
    validate,
)
from podium.core.errors import InvalidInputError
from podium.privacy.operators import Principal
from podium.web.accreditation_desk import accreditation_context, check_desk, load_accreditation
from podium.web.accreditation_support import (
    AccreditationRoute,
    ApplicationWriter,
    DeskDep,
    PageLang,
    acc_page,
    pages,
    see_other,
)
from podium.web.auth import SovereignSession, SpineDep, permit
from podium.web.deps import GamesSession
from podium.web.staff_support import FormOperator

__all__ = ["STEPS", "Step", "router", "step_forms"]

router = APIRouter(route_class=AccreditationRoute, include_in_schema=False)


@dataclass(frozen=True)
class Step:
    """One step the desk offers.

    Attributes:
        name: the step's address (`/accreditation/{code}/<name>`) and form id.
        action: the lifecycle action, whose `TRANSITIONS` say from which statuses.
        reason: `required`, `optional` or `none`: the form's reason field.
        run: calls the lifecycle function (desk, operator, number, reason, appeal outcome).

    """

    name: str
    action: Action
    reason: str
    run: Callable[[Desk, Principal, int, str, str], object]


def _approve(desk: Desk, principal: Principal, number: int, reason: str, _outcome: str) -> object:
    vetting = ManualVetting()
    vetting.decide(number, Opinion.FAVOURABLE, reason or None)
    return record_vetting(desk, principal, vetting)


def _appeal(desk: Desk, principal: Principal, number: int, reason: str, outcome: str) -> object:
    try:
        chosen = AppealOutcome(outcome)
    except ValueError as error:
        message = "Choose the outcome of the appeal."
        raise InvalidInputError(message, code="appeal_outcome_missing") from error
    return appeal(desk, principal, number, chosen, reason)


def _print(desk: Desk, principal: Principal, number: int, reason: str, _outcome: str) -> object:
    return print_cards(desk, principal, [number], reason or None)


def _reinstate(desk: Desk, principal: Principal, number: int, reason: str, _o: str) -> object:
    return reinstate(desk, principal, [number], reason or None)


STEPS: tuple[Step, ...] = (
    Step("submit", Action.SUBMIT, "none", lambda d, p, n, _r, _o: submit(d, p, [n])),
    Step("approve", Action.VET_FAVOURABLE, "optional", _approve),
    Step("refuse", Action.REFUSE, "required", lambda d, p, n, r, _o: refuse(d, p, [n], r)),
    Step("appeal", Action.APPEAL_GRANT, "required", _appeal),
    Step("print", Action.PRINT, "optional", _print),
    Step("validate", Action.VALIDATE, "none", lambda d, p, n, _r, _o: validate(d, p, [n])),
    Step("suspend", Action.SUSPEND, "required", lambda d, p, n, r, _o: suspend(d, p, [n], r)),
    Step("reinstate", Action.REINSTATE, "optional", _reinstate),
    Step("revoke", Action.REVOKE, "required", lambda d, p, n, r, _o: revoke(d, p, [n], r)),
)
"""The steps, in the order the page lists their forms."""
_BY_NAME = {step.name: step for step in STEPS}


def step_forms(
    desk: Desk, row: Accreditation, done: str | None, errors: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Return the accreditation page's step forms: those its status allows, and outcomes.

    Args:
        desk: the desk (its access configuration names the categories).
        row: the accreditation.
        done: the step just taken (from the redirect), if any.
        errors: the step refused just now → its code and message, if any.
    """
    steps = [s for s in STEPS if row.status in {str(v) for v in TRANSITIONS[s.action][0]}]
    return {
        "steps": steps,
        "done": done if done in _BY_NAME else None,
        "step_errors": errors or {},
        "outcomes": [o.value for o in AppealOutcome],
        "categories": [(c.code, c.en, c.fr) for c in desk.access.category],
    }


def _step_route(step: Step) -> None:
    @pages(router, f"/accreditation/{{code}}/{step.name}", method="POST")
    def take_step(  # noqa: PLR0913 - the form, who, and the services
        request: Request,
        code: str,
        lang: PageLang,
        principal: FormOperator,
        *,
        games: GamesSession,
        sovereign: SovereignSession,
        spine: SpineDep,
        desk: DeskDep,
        reason: Annotated[str, Form()] = "",
        outcome: Annotated[str, Form()] = "",
    ) -> Response:
        # The step's own scope: a vetting officer takes vetting steps at the desk without
        # holding the accreditation officer's `accreditation:application:write`.
        permit(principal, step_scope(step.action), spine.pdp)
        check_desk(principal)
        row = load_accreditation(games, principal, code)
        try:
            step.run(desk, principal, row.id, reason.strip(), outcome)
        except InvalidInputError as error:
            games.expire_all()
            context = accreditation_context(games, sovereign, spine, principal, row)
            failed = {"step": step.name, "code": error.code, "message": str(error)}
            context.update(step_forms(desk, row, None, {step.name: failed}))
            context["reason_value"] = reason
            return acc_page(
                request, lang, "accreditation.html", context, principal=principal, status_code=422
            )
        return see_other(lang, f"/accreditation/{row.id}?done={step.name}")

    take_step.__name__ = f"step_{step.name}"


for _step in STEPS:
    _step_route(_step)


@pages(router, "/accreditation/print", method="POST")
def print_batch(  # noqa: PLR0913 - the form, who, and the services
    lang: PageLang,
    principal: FormOperator,
    _writer: ApplicationWriter,
    *,
    games: GamesSession,
    desk: DeskDep,
    number: Annotated[list[str] | None, Form()] = None,
    back: Annotated[str, Form()] = "",
) -> Response:
    """Print the checked cards of a list at once (one transaction); then offer the PDF."""
    check_desk(principal)
    rows = [load_accreditation(games, principal, n) for n in dict.fromkeys(number or [])]
    query = back if back.startswith("?") else ""
    joiner = "&" if query else "?"
    if not rows:
        return see_other(lang, f"/accreditation{query}{joiner}error=nothing_checked")
    try:
        print_cards(desk, principal, [row.id for row in rows])
    except InvalidInputError as error:
        return see_other(lang, f"/accreditation{query}{joiner}error={quote(error.code)}")
    printed = ",".join(str(row.id) for row in rows)
    return see_other(lang, f"/accreditation{query}{joiner}printed={printed}")
