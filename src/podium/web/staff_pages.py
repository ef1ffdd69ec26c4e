"""The staff pages: sign-in, dashboard, personal records, operators, requests and the audit log.

Server-rendered, in English only (`lang="en"`), usable without JavaScript. A member of staff
signs in with a password and may declare the purpose of the session at once or later on the
dashboard (GDPR Art. 5(1)(b)); purposes depend on the account, so the one chosen at sign-in
is checked after the password. Every page authorises exactly as its JSON twin in
`podium.api.privacy_routes` does, and a refusal is the HTML 403 page with the policy's reason.
Refusals the routes catch themselves (`authorize`, a bad form) are answered without raising,
so the transaction commits and the audit log keeps the refusal.

Every form that changes something posts a hidden `csrf` field equal to the session's CSRF
token, and is refused when its `Origin` header names another host; the sign-in form, which
has no session yet, is guarded by the `Origin` check alone (login CSRF).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.core.clock import system_clock
from podium.core.db import Planes
from podium.core.errors import (
    AuthenticationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from podium.people import Participant, Person, personal_record
from podium.privacy.access import authorize, record_write
from podium.privacy.audit import ANCHOR_FILE, load_anchor, trusted_public_keys, verify
from podium.privacy.operators import (
    SESSION_LIFETIME,
    Principal,
    authenticate_password,
    close_web_session,
    create_operator,
    disable_operator,
    find_operator,
    list_operators,
    open_web_session,
    set_session_purpose,
)
from podium.privacy.policy import Effect
from podium.privacy.register import is_restricted
from podium.privacy.spine import Spine
from podium.subjects import list_requests
from podium.web.auth import (
    COOKIE,
    CurrentOperator,
    OptionalOperator,
    SovereignSession,
    SpineDep,
    require_scope,
)
from podium.web.deps import GamesSession
from podium.web.rendering import render

__all__ = ["REGION_LABELS", "StaffRoute", "router", "safe_next"]

HOME = "/staff/"
LOGIN = "/staff/login"
REGION_LABELS = {
    "eu-eea": "EU/EEA",
    "adequacy": "adequacy country (GDPR Art. 45)",
    "third-country": "third country",
}
"""How the dashboard names an operator's region (GDPR Chapter V)."""

_FIELD_OF_CODE = {
    "username_invalid": "username",
    "username_taken": "username",
    "password_too_short": "password",
    "country_unknown": "home_country",
    "roles_unknown": "roles",
    "purposes_unknown": "purposes",
}
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}


class FormRefusedError(PermissionDeniedError):
    """A staff form without this session's CSRF token, or posted from another site."""

    code = "csrf_refused"


_PAGE_CATEGORY = {
    "operators": DataCategory.OPERATOR,
    "requests": DataCategory.AUDIT,
    "audit": DataCategory.AUDIT,
}
"""The data category each restricted page shows, as its route authorizes it."""


def _open_pages(spine: Spine, principal: Principal) -> set[str]:
    """Return the staff pages the policy would open to this operator and purpose.

    Only to decide which links to show (a pure decision, not audited); each page still
    asks the policy itself, and audits, when it is opened.
    """
    purpose = principal.purpose or ""
    pages = {"dashboard", "people"}
    for page, category in _PAGE_CATEGORY.items():
        decision = spine.pdp.decide(category, principal.roles, purpose, principal.region)
        if purpose in principal.purposes and decision.effect is Effect.ALLOW:
            pages.add(page)
    return pages


def _page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    principal: Principal | None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a staff page; staff pages are never cached and never framed."""
    open_pages = _open_pages(request.app.state.spine, principal) if principal else set()
    response = render(
        request,
        f"staff/{template}",
        {"principal": principal, "open_pages": open_pages, **context},
        status_code,
    )
    response.headers.update(_HEADERS)
    return response


def _error_page(
    request: Request, principal: Principal | None, status_code: int, message: str
) -> HTMLResponse:
    titles = {403: "Not allowed", 404: "Not found"}
    context = {"title": titles.get(status_code, "Error"), "message": message, "nav": None}
    return _page(request, "error.html", context, principal, status_code)


class StaffRoute(APIRoute):
    """A staff route: a refusal (form, scope) is the 403 page, a missing object the 404 page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the route handler so that these errors render HTML, not JSON."""
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except PermissionDeniedError as error:
                return _error_page(request, None, 403, str(error))
            except NotFoundError as error:
                return _error_page(request, None, 404, str(error))

        return page_handler


router = APIRouter(prefix="/staff", route_class=StaffRoute, include_in_schema=False)


def safe_next(target: str | None) -> str:
    """Return where to go after sign-in: a local staff path, or the dashboard.

    Guards against an open redirect: an absolute URL (`https://evil`), a scheme-relative one
    (`//evil`), a backslash that some browsers read as a slash, or control characters all
    fall back to the dashboard.
    """
    if not target or "\\" in target or any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return HOME
    if parts.path != "/staff" and not parts.path.startswith("/staff/"):
        return HOME
    return target


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in {"http", "https"} and parts.netloc == request.headers.get("host")


def _form_principal(
    request: Request, principal: CurrentOperator, csrf: Annotated[str, Form()] = ""
) -> Principal:
    if not _same_origin(request):
        raise FormRefusedError("This form was sent from another site and was refused.")
    expected = principal.csrf_token
    if expected is None or not secrets.compare_digest(csrf.encode(), expected.encode()):
        raise FormRefusedError(
            "This form is out of date or was not sent from this site. "
            "Go back, reload the page and try again."
        )
    return principal


PersonReader = Annotated[Principal, Depends(require_scope("people:person:read"))]
OperatorReader = Annotated[Principal, Depends(require_scope("privacy:operator:read"))]
AuditReader = Annotated[Principal, Depends(require_scope("privacy:audit:read"))]
RequestReader = Annotated[Principal, Depends(require_scope("subjects:request:read"))]
FormOperator = Annotated[Principal, Depends(_form_principal)]
"""The signed-in operator of a staff form, its CSRF token and origin checked."""


def _denied(
    spine: Spine, sovereign: Session, principal: Principal, category: DataCategory, action: str
) -> str | None:
    """Authorise like the API; return the refusal's message, or None when allowed."""
    try:
        authorize(spine, sovereign, principal, category=category, action=action)
    except PermissionDeniedError as error:
        return str(error)
    return None


# --- Sign-in and sign-out ------------------------------------------------------------------


@dataclass(frozen=True)
class _LoginForm:
    username: str = ""
    purpose: str = ""
    next: str = HOME
    error: str | None = None
    purpose_error: str | None = None


def _login_page(
    request: Request, spine: Spine, form: _LoginForm, status_code: int = 200
) -> HTMLResponse:
    context = {"form": form, "purposes": sorted(spine.pdp.purposes), "nav": None}
    return _page(request, "login.html", context, None, status_code)


@router.get("/login")
def login_form(
    request: Request,
    principal: OptionalOperator,
    spine: SpineDep,
    target: Annotated[str, Query(alias="next")] = HOME,
) -> Response:
    """Show the sign-in form, or go on to `next` when already signed in."""
    if principal is not None and principal.csrf_token is not None:
        return RedirectResponse(safe_next(target), status_code=303)
    return _login_page(request, spine, _LoginForm(next=safe_next(target)))


def _refuse_sign_in(  # noqa: PLR0913 - the refusal, who, and the form to show again
    request: Request,
    spine: Spine,
    sovereign: Session,
    *,
    operator: str,
    reason: str,
    form: _LoginForm,
    status_code: int,
) -> HTMLResponse:
    record_write(
        spine,
        sovereign,
        operator=operator,
        action="privacy.session.refused",
        subject=None,
        fields=(),
        purpose=form.purpose or None,
        decision="deny",
        reason=reason,
    )
    return _login_page(request, spine, form, status_code)


@router.post("/login")
def login(  # noqa: PLR0913 - the form's fields and the services
    request: Request,
    *,
    sovereign: SovereignSession,
    spine: SpineDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    purpose: Annotated[str, Form()] = "",
    target: Annotated[str, Form(alias="next")] = HOME,
) -> Response:
    """Sign in: check the password, open a session, set the cookie, go on to `next`."""
    if not _same_origin(request):
        return _error_page(request, None, 403, "This sign-in was sent from another site.")
    form = _LoginForm(username=username, purpose=purpose, next=safe_next(target))
    try:
        operator = authenticate_password(sovereign, username, password)
    except AuthenticationError:
        failed = _LoginForm(username, purpose, form.next, "Unknown username or wrong password.")
        return _refuse_sign_in(
            request,
            spine,
            sovereign,
            operator="anonymous",
            reason="bad-credentials",
            form=failed,
            status_code=401,
        )
    try:
        token = open_web_session(sovereign, operator, purpose or None)
    except InvalidInputError:
        message = "This account may not declare that purpose. Choose one of its purposes."
        refused = _LoginForm(username, purpose, form.next, purpose_error=message)
        return _refuse_sign_in(
            request,
            spine,
            sovereign,
            operator=operator.id,
            reason="purpose-not-permitted",
            form=refused,
            status_code=403,
        )
    record_write(
        spine,
        sovereign,
        operator=operator.id,
        action="privacy.session.open",
        subject=None,
        fields=(),
        purpose=purpose or None,
        decision="allow",
    )
    response = RedirectResponse(form.next, status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        path="/",
        secure=request.app.state.settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )
    return response


@router.post("/logout")
def logout(request: Request, _principal: FormOperator, sovereign: SovereignSession) -> Response:
    """Sign out: close the session, clear the cookie, back to the sign-in page."""
    close_web_session(sovereign, request.cookies.get(COOKIE, ""))
    response = RedirectResponse(LOGIN, status_code=303)
    response.delete_cookie(
        COOKIE,
        path="/",
        secure=request.app.state.settings.secure_cookies,
        httponly=True,
        samesite="strict",
    )
    return response


# --- Dashboard and purpose -----------------------------------------------------------------


def _dashboard(  # noqa: PLR0913 - the page, who, and the purpose form's state
    request: Request,
    principal: Principal,
    sovereign: Session,
    spine: Spine,
    *,
    purpose_error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    operator = find_operator(sovereign, principal.username)
    purposes = spine.pdp.policy.purposes
    context = {
        "nav": "dashboard",
        "country": operator.home_country,
        "organisation": operator.organisation,
        "region": REGION_LABELS[principal.region.value],
        "purposes": [(p, purposes[p].description) for p in sorted(principal.purposes)],
        "purpose_error": purpose_error,
        "changed": request.query_params.get("purpose") == "changed",
    }
    return _page(request, "dashboard.html", context, principal, status_code)


@router.get("/")
def dashboard(
    request: Request, principal: CurrentOperator, sovereign: SovereignSession, spine: SpineDep
) -> HTMLResponse:
    """Show who is signed in, from where, with which roles and declared purpose."""
    return _dashboard(request, principal, sovereign, spine)


@router.post("/purpose")
def change_purpose(
    request: Request,
    principal: FormOperator,
    sovereign: SovereignSession,
    spine: SpineDep,
    purpose: Annotated[str, Form()] = "",
) -> Response:
    """Change the purpose declared for this session (audited)."""
    try:
        set_session_purpose(sovereign, request.cookies.get(COOKIE, ""), purpose)
    except InvalidInputError:
        message = "Choose one of the purposes listed for your account."
        return _dashboard(
            request, principal, sovereign, spine, purpose_error=message, status_code=422
        )
    record_write(
        spine,
        sovereign,
        operator=principal.operator_id,
        action="privacy.session.purpose",
        subject=None,
        fields=(),
        purpose=purpose,
        decision="allow",
    )
    return RedirectResponse(f"{HOME}?purpose=changed", status_code=303)


# --- People --------------------------------------------------------------------------------


@router.get("/people")
def people_search(request: Request, principal: PersonReader, code: str | None = None) -> Response:
    """Find a participant by ODF code: go to the person's page, or ask for a code."""
    if code is not None and code.strip():
        return RedirectResponse(f"/staff/people/{quote(code.strip(), safe='')}", status_code=303)
    error = "Enter a participant code." if code is not None else None
    context = {"nav": "people", "code_error": error}
    return _page(request, "people_search.html", context, principal, 422 if error else 200)


@router.get("/people/{code}")
def person(  # noqa: PLR0913 - the page, who, and both planes
    request: Request,
    code: str,
    *,
    principal: PersonReader,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> HTMLResponse:
    """Show a participant's published identity and protected fields as the policy allows.

    Authorised as `GET /api/people/{code}/personal`: the policy decides field by field and
    `personal_record` audits the read whatever the outcome.

    Raises:
        NotFoundError: no participant has this code (the 404 page).
    """
    participant = games.scalar(select(Participant).where(Participant.code == code))
    if participant is None:
        raise NotFoundError(f"No participant has the code {code!r}.")
    subject = participant.subject_id
    try:
        fields = personal_record(spine, sovereign, principal, subject)
    except NotFoundError:
        fields = None
    context = {
        "nav": "people",
        "participant": participant,
        "person": sovereign.get(Person, subject),
        "restricted": is_restricted(sovereign, subject),
        "fields": fields,
    }
    return _page(request, "person.html", context, principal)


# --- Operators -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _OperatorForm:
    username: str = ""
    display_name: str = ""
    home_country: str = ""
    organisation: str = ""
    roles: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()


def _operators_page(  # noqa: PLR0913 - the page, who, and the create form's state
    request: Request,
    principal: Principal,
    sovereign: Session,
    spine: Spine,
    *,
    form: _OperatorForm,
    errors: Mapping[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    policy = spine.pdp.policy
    context = {
        "nav": "operators",
        "operators": list_operators(sovereign),
        "region_labels": REGION_LABELS,
        "roles": sorted(policy.roles.items()),
        "purposes": sorted((name, p.description) for name, p in policy.purposes.items()),
        "form": form,
        "errors": errors,
        "created": request.query_params.get("created"),
        "disabled": request.query_params.get("disabled"),
    }
    return _page(request, "operators.html", context, principal, status_code)


@router.get("/operators")
def operators(
    request: Request, principal: OperatorReader, sovereign: SovereignSession, spine: SpineDep
) -> HTMLResponse:
    """List operator accounts (no hashes), with the create form and a disable button each."""
    refusal = _denied(spine, sovereign, principal, DataCategory.OPERATOR, "privacy.operator.list")
    if refusal:
        return _error_page(request, principal, 403, refusal)
    return _operators_page(request, principal, sovereign, spine, form=_OperatorForm(), errors={})


@router.post("/operators")
def create(  # noqa: PLR0913 - one form field per account attribute
    request: Request,
    *,
    principal: FormOperator,
    sovereign: SovereignSession,
    spine: SpineDep,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    home_country: Annotated[str, Form()] = "",
    organisation: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    roles: Annotated[list[str] | None, Form()] = None,
    purposes: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Create an operator account; a bad field re-renders the form with its message."""
    action = "privacy.operator.create"
    refusal = _denied(spine, sovereign, principal, DataCategory.OPERATOR, action)
    if refusal:
        return _error_page(request, principal, 403, refusal)
    form = _OperatorForm(
        username,
        display_name,
        home_country,
        organisation,
        tuple(roles or ()),
        tuple(purposes or ()),
    )
    errors = {} if home_country.strip() else {"home_country": "Enter the home country's code."}
    if not errors:
        try:
            create_operator(
                sovereign,
                username=username,
                display_name=display_name,
                home_country=home_country,
                organisation=organisation,
                roles=form.roles,
                purposes=form.purposes,
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=password or None,
            )
        except InvalidInputError as error:
            errors = {_FIELD_OF_CODE.get(error.code, "username"): str(error)}
    if errors:
        return _operators_page(
            request, principal, sovereign, spine, form=form, errors=errors, status_code=422
        )
    created = quote(username.strip().lower(), safe="")
    return RedirectResponse(f"/staff/operators?created={created}", status_code=303)


@router.post("/operators/{username}/disable")
def disable(
    request: Request,
    username: str,
    principal: FormOperator,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> Response:
    """Disable an account: sign-in refused, tokens revoked, sessions closed."""
    action = "privacy.operator.disable"
    refusal = _denied(spine, sovereign, principal, DataCategory.OPERATOR, action)
    if refusal:
        return _error_page(request, principal, 403, refusal)
    disable_operator(sovereign, username)
    return RedirectResponse(
        f"/staff/operators?disabled={quote(username.lower(), safe='')}", status_code=303
    )


# --- Requests and audit --------------------------------------------------------------------


@router.get("/requests")
def requests(
    request: Request, principal: RequestReader, sovereign: SovereignSession, spine: SpineDep
) -> HTMLResponse:
    """List the data-subject requests with their Art. 12(3) deadlines, overdue ones first.

    The register holds accountability records (category `audit`), so the DPO reads it
    with purpose `data-subject-rights` or `security`.
    """
    refusal = _denied(spine, sovereign, principal, DataCategory.AUDIT, "subjects.request.list")
    if refusal:
        return _error_page(request, principal, 403, refusal)
    planes: Planes = request.app.state.planes
    today = system_clock().date()
    rows = sorted(
        list_requests(planes, today),
        key=lambda r: (not r.overdue, r.status != "open", r.deadline, r.id),
    )
    context = {"nav": "requests", "rows": rows, "today": today}
    return _page(request, "requests.html", context, principal)


@router.get("/audit")
def audit(
    request: Request, principal: AuditReader, sovereign: SovereignSession, spine: SpineDep
) -> HTMLResponse:
    """Verify the audit chain and its signed checkpoints, and show what was found."""
    refusal = _denied(spine, sovereign, principal, DataCategory.AUDIT, "privacy.audit.verify")
    if refusal:
        return _error_page(request, principal, 403, refusal)
    report = verify(
        sovereign,
        trusted_public_keys(spine.key_dir),
        anchor=load_anchor(spine.key_dir / ANCHOR_FILE),
    )
    return _page(request, "audit.html", {"nav": "audit", "report": report}, principal)
