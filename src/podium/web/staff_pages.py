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
has no session yet, is guarded by the `Origin` check alone (login CSRF). Those checks, the
page rendering and `StaffRoute` are in `podium.web.staff_support`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.core.db import Planes
from podium.core.errors import AuthenticationError, InvalidInputError, NotFoundError
from podium.people import Participant, Person, personal_record
from podium.privacy.access import record_write
from podium.privacy.audit import ANCHOR_FILE, load_anchor, trusted_public_keys, verify
from podium.privacy.operators import (
    Principal,
    authenticate_password,
    create_operator,
    disable_operator,
    find_operator,
    list_operators,
)
from podium.privacy.register import is_restricted
from podium.privacy.sessions import (
    SESSION_LIFETIME,
    close_web_session,
    open_web_session,
    set_session_purpose,
)
from podium.privacy.spine import Spine
from podium.subjects import list_requests
from podium.web.auth import COOKIE, CurrentOperator, OptionalOperator, SovereignSession, SpineDep
from podium.web.deps import GamesSession, now_of
from podium.web.staff_support import (
    FIELD_OF_CODE,
    HOME,
    LOGIN,
    REGION_LABELS,
    AuditReader,
    FormOperator,
    OperatorReader,
    PersonReader,
    RequestReader,
    StaffRoute,
    denied,
    error_page,
    page,
    safe_next,
    same_origin,
)

__all__ = ["router"]

router = APIRouter(prefix="/staff", route_class=StaffRoute, include_in_schema=False)


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
    return page(request, "login.html", context, None, status_code)


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
    if not same_origin(request):
        return error_page(request, None, 403, "This sign-in was sent from another site.")
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
    return page(request, "dashboard.html", context, principal, status_code)


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
    return page(request, "people_search.html", context, principal, 422 if error else 200)


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
    return page(request, "person.html", context, principal)


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
    return page(request, "operators.html", context, principal, status_code)


@router.get("/operators")
def operators(
    request: Request, principal: OperatorReader, sovereign: SovereignSession, spine: SpineDep
) -> HTMLResponse:
    """List operator accounts (no hashes), with the create form and a disable button each."""
    refusal = denied(spine, sovereign, principal, DataCategory.OPERATOR, "privacy.operator.list")
    if refusal:
        return error_page(request, principal, 403, refusal)
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
    refusal = denied(spine, sovereign, principal, DataCategory.OPERATOR, action)
    if refusal:
        return error_page(request, principal, 403, refusal)
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
            errors = {FIELD_OF_CODE.get(error.code, "username"): str(error)}
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
    refusal = denied(spine, sovereign, principal, DataCategory.OPERATOR, action)
    if refusal:
        return error_page(request, principal, 403, refusal)
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
    refusal = denied(spine, sovereign, principal, DataCategory.AUDIT, "subjects.request.list")
    if refusal:
        return error_page(request, principal, 403, refusal)
    planes: Planes = request.app.state.planes
    today = now_of(request).date()
    rows = sorted(
        list_requests(planes, today),
        key=lambda r: (not r.overdue, r.status != "open", r.deadline, r.id),
    )
    context = {"nav": "requests", "rows": rows, "today": today}
    return page(request, "requests.html", context, principal)


@router.get("/audit")
def audit(
    request: Request, principal: AuditReader, sovereign: SovereignSession, spine: SpineDep
) -> HTMLResponse:
    """Verify the audit chain and its signed checkpoints, and show what was found."""
    refusal = denied(spine, sovereign, principal, DataCategory.AUDIT, "privacy.audit.verify")
    if refusal:
        return error_page(request, principal, 403, refusal)
    report = verify(
        sovereign,
        trusted_public_keys(spine.key_dir),
        anchor=load_anchor(spine.key_dir / ANCHOR_FILE),
    )
    return page(request, "audit.html", {"nav": "audit", "report": report}, principal)
