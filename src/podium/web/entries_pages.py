"""Staff pages of the sport entries (EN at `/staff/entries…`, FR at `/staff/fr/entries…`).

A NOC's operator sees and changes its own NOC's entries; the organising committee's staff
(`PARIS2024`) choose any NOC. The page shows the quota usage per event, an event's
entries with withdraw and replace forms, and a form to enter an athlete or a team. Every
form posts the session's CSRF token (`FormOperator`); a refusal is shown in an error
summary (`role="alert"`) linked to the field, with the rule's code. Every address stays
under `/staff`, so the sign-in redirect applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from podium.core.clock import Clock
from podium.core.errors import InvalidInputError, PodiumError
from podium.entries import (
    ORGANISING_COMMITTEE,
    EntryContext,
    EntryFilter,
    EntryRequest,
    SovereignBirthDates,
    enter,
    entries,
    load_rules,
    quota_usage,
    replace,
    start_list,
    withdraw,
)
from podium.privacy.operators import Principal
from podium.privacy.spine import Spine
from podium.web.auth import SovereignSession, SpineDep, require_scope
from podium.web.deps import GamesSession, clock_of
from podium.web.i18n import Lang
from podium.web.rendering import render
from podium.web.staff_support import FormOperator, StaffRoute

__all__ = ["entries_clock", "router"]

router = APIRouter(route_class=StaffRoute, include_in_schema=False)

_PREFIXES: dict[Lang, str] = {"en": "/staff", "fr": "/staff/fr"}
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
_FIELD_OF_CODE = {
    "participant_not_found": "participant_code",
    "not_in_noc": "participant_code",
    "gender_ineligible": "participant_code",
    "age_ineligible": "participant_code",
    "duplicate_entry": "participant_code",
    "entry_competitor_required": "participant_code",
    "team_not_found": "participant_code",
    "unknown_event": "event",
    "team_event_mismatch": "event",
    "quota_event": "event",
    "quota_discipline_gender": "event",
    "deadline_passed": "event",
    "replacement_reason_required": "reason",
}
_Handler = TypeVar("_Handler", bound=Callable[..., Any])
EntriesReader = Annotated[Principal, Depends(require_scope("entries:entry:read"))]


def entries_clock(request: Request) -> Clock:
    """Return the node's clock for entry deadlines.

    `app.state.entries_clock` when set (tests pin the deadlines' day), else the
    application's clock (`podium.web.deps.clock_of`).
    """
    clock: Clock = getattr(request.app.state, "entries_clock", None) or clock_of(request)
    return clock


def _lang(request: Request) -> Lang:
    path = request.url.path
    return "fr" if path.startswith(_PREFIXES["fr"] + "/") else "en"


def _pages(path: str, method: str = "GET") -> Callable[[_Handler], _Handler]:
    def register(handler: _Handler) -> _Handler:
        for code, prefix in _PREFIXES.items():
            router.add_api_route(
                prefix + path, handler, methods=[method], name=f"{handler.__name__}_{code}"
            )
        return handler

    return register


def _render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    principal: Principal,
    status_code: int = 200,
) -> HTMLResponse:
    lang = _lang(request)
    request.scope.setdefault("path_params", {})["lang"] = lang
    other: Lang = "en" if lang == "fr" else "fr"
    path = request.url.path.removeprefix(_PREFIXES[lang])
    query = f"?{request.url.query}" if request.url.query else ""
    frame = {
        "principal": principal,
        "base": _PREFIXES[lang],
        "switch_url": _PREFIXES[other] + path + query,
        "nav": "entries",
    }
    response = render(request, f"entries/{template}", {**frame, **context}, status_code)
    response.headers.update(_HEADERS)
    return response


def _noc_of(principal: Principal, asked: str | None) -> str | None:
    """Return the NOC whose entries the page shows: a NOC's operator sees only its own."""
    organisation = principal.organisation
    if organisation and organisation != ORGANISING_COMMITTEE:
        return organisation
    return (asked or "").strip().upper()[:3] or None


@dataclass(frozen=True)
class _View:
    noc: str | None
    event: str | None
    errors: tuple[tuple[str, str], ...] = ()
    done: str | None = None
    form: Mapping[str, str] | None = None


def _entries_page(
    request: Request, principal: Principal, games: Session, view: _View, status_code: int = 200
) -> HTMLResponse:
    listed = entries(games, EntryFilter(view.event, view.noc)) if view.noc and view.event else []
    context = {
        "noc": view.noc,
        "event": view.event,
        "chooses_noc": principal.organisation in {ORGANISING_COMMITTEE, None},
        "usage": quota_usage(games, load_rules(), view.noc) if view.noc else [],
        "listed": listed,
        "errors": dict(view.errors),
        "summary": [(f"f-{field}", message) for field, message in view.errors],
        "done": view.done,
        "form": view.form or {},
    }
    return _render(request, "entries.html", context, principal, status_code)


@_pages("/entries")
def entries_page(  # noqa: PLR0913 - the page, who, and its query
    request: Request,
    *,
    principal: EntriesReader,
    games: GamesSession,
    noc: str | None = None,
    event: str | None = None,
    done: str | None = None,
) -> Response:
    """Show a NOC's quota usage per event, and one event's entries with their forms."""
    view = _View(_noc_of(principal, noc), (event or "").strip().upper()[:22] or None)
    if view.event:
        try:
            entries(games, EntryFilter(view.event))
        except PodiumError as error:
            bad = _View(view.noc, None, (("event", str(error)),))
            return _entries_page(request, principal, games, bad, 422)
    done_view = _View(view.noc, view.event, done=done if done in _DONE else None)
    return _entries_page(request, principal, games, done_view)


_DONE = {"entered", "withdrawn", "replaced"}


@_pages("/entries/start-list")
def start_list_page(
    request: Request, principal: EntriesReader, games: GamesSession, event: str = ""
) -> Response:
    """Show the start list of an event's first phase, drawn from its entries."""
    listed = start_list(games, event.strip().upper()[:34])
    return _render(request, "start_list.html", {"start": listed}, principal)


def _context(
    request: Request, spine: Spine, games: Session, sovereign: Session, principal: Principal
) -> EntryContext:
    births = SovereignBirthDates(spine, games, sovereign, principal)
    return EntryContext(load_rules(), entries_clock(request), births)


def _after(request: Request, noc: str, event: str, done: str) -> RedirectResponse:
    url = f"{_PREFIXES[_lang(request)]}/entries?noc={noc}&event={event}&done={done}#result"
    return RedirectResponse(url, status_code=303)


def _refused(  # noqa: PLR0913 - the page, who, where, and what went wrong
    request: Request,
    *,
    principal: Principal,
    games: Session,
    where: tuple[str, str],
    error: InvalidInputError,
    form: Mapping[str, str],
) -> HTMLResponse:
    field = _FIELD_OF_CODE.get(error.code, "participant_code")
    message = f"{error} ({error.code})"
    view = _View(where[0] or None, where[1] or None, ((field, message),), form=form)
    return _entries_page(request, principal, games, view, 422)


@_pages("/entries/enter", "POST")
def enter_form(  # noqa: PLR0913 - the form's fields and the services
    request: Request,
    *,
    principal: FormOperator,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    noc: Annotated[str, Form()] = "",
    event: Annotated[str, Form()] = "",
    participant_code: Annotated[str, Form()] = "",
) -> Response:
    """Enter an athlete (ODF code) or a team (ODF team code) of the NOC in the event."""
    noc = _noc_of(principal, noc) or ""
    event, code = event.strip().upper()[:34], participant_code.strip()[:40]
    is_team = len(code) > 20
    request_ = EntryRequest(
        noc, event, None if is_team else code or None, code if is_team else None
    )
    try:
        enter(games, _context(request, spine, games, sovereign, principal), principal, request_)
    except InvalidInputError as error:
        form = {"event": event, "participant_code": code}
        return _refused(
            request, principal=principal, games=games, where=(noc, event), error=error, form=form
        )
    return _after(request, noc, event, "entered")


@_pages("/entries/withdraw", "POST")
def withdraw_form(  # noqa: PLR0913 - the form's fields and the services
    request: Request,
    *,
    principal: FormOperator,
    games: GamesSession,
    entry_id: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
    event: Annotated[str, Form()] = "",
) -> Response:
    """Withdraw an entry."""
    entry = withdraw(
        games, EntryContext(load_rules(), entries_clock(request)), principal, entry_id, reason
    )
    return _after(request, entry.noc, event or entry.event_code, "withdrawn")


@_pages("/entries/replace", "POST")
def replace_form(  # noqa: PLR0913 - the form's fields and the services
    request: Request,
    *,
    principal: FormOperator,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    entry_id: Annotated[int, Form()],
    participant_code: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    noc: Annotated[str, Form()] = "",
    event: Annotated[str, Form()] = "",
) -> Response:
    """Replace an entered athlete (after the deadline: a late replacement, with a reason)."""
    context = _context(request, spine, games, sovereign, principal)
    code = participant_code.strip()[:20]
    try:
        new = replace(games, context, principal, entry_id, participant_code=code, reason=reason)
    except InvalidInputError as error:
        form = {"participant_code": code, "reason": reason, "entry_id": str(entry_id)}
        where = (_noc_of(principal, noc) or "", event.strip().upper()[:22])
        return _refused(
            request, principal=principal, games=games, where=where, error=error, form=form
        )
    return _after(request, new.noc, new.event_code, "replaced")
