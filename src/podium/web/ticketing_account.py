"""Fan pages: sign-up, sign-in, sign-out and "my account" (limits used).

- `GET|POST /{lang}/tickets/signup`: create an account (name, e-mail, password), signed in.
- `GET|POST /{lang}/tickets/signin`: sign in (T1's `authenticate_fan`, Argon2id).
- `POST /{lang}/tickets/signout`: close the fan session.
- `GET /{lang}/tickets/account`: the fan's own name and e-mail (their own data, GDPR
  Art. 15) and the tickets held against the limits (30 per account, 6 per session).
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from podium.core.errors import InvalidInputError
from podium.ticketing import (
    DEFAULT_RULES,
    FAN_COOKIE,
    FanAuthenticationError,
    NewFan,
    account_ticket_rows,
    authenticate_fan,
    close_fan_session,
    create_fan_account,
    fan_profile,
    open_fan_session,
)
from podium.web.rendering import LANG_PATH, PageRoute
from podium.web.ticketing_support import (
    FanPage,
    base_of,
    fan_page,
    now_of,
    planes_of,
    refused,
    secure_cookies,
    see_other,
    sign_in_redirect,
    signed_in_fan,
    spine_of,
    valid_anonymous_form,
    valid_fan_form,
)

__all__ = ["router", "safe_fan_next"]

router = APIRouter(include_in_schema=False, route_class=PageRoute)
Field = Annotated[str, Form()]

_FIELD_OF_CODE = {
    "email_invalid": "f-email",
    "email_taken": "f-email",
    "password_too_short": "f-password",
    "name_invalid": "f-full_name",
}


def safe_fan_next(request: Request, target: str | None) -> str:
    """Return where to go after sign-in: a local fan page, or the account page."""
    base = base_of(request)
    if not target or not target.startswith(base + "/") or "//" in target or "\\" in target:
        return f"{base}/account"
    if any(ord(c) < 0x21 or ord(c) == 0x7F for c in target):
        return f"{base}/account"
    return target


def _signed_in(request: Request, account_id: str, target: str) -> RedirectResponse:
    with planes_of(request).sovereign_session() as sovereign:
        token = open_fan_session(sovereign, account_id, now_of(request))
    response = see_other(target)
    response.set_cookie(
        FAN_COOKIE, token, httponly=True, samesite="lax", secure=secure_cookies(request)
    )
    return response


@router.get(f"/{LANG_PATH}/tickets/signup", response_model=None)
def signup_form(request: Request) -> Response:
    """Render the sign-up form."""
    return fan_page(request, "signup.html", {"errors": {}, "values": {}})


@router.post(f"/{LANG_PATH}/tickets/signup", response_model=None)
def signup(
    request: Request,
    full_name: Field = "",
    email: Field = "",
    password: Field = "",
    csrf: Field = "",
) -> Response:
    """Create a fan account and sign it in; the form again with its errors (422)."""
    if not valid_anonymous_form(request, csrf):
        return refused(request)
    planes = planes_of(request)
    try:
        with planes.games_session() as games, planes.sovereign_session() as sovereign:
            account = create_fan_account(
                games,
                sovereign,
                spine_of(request),
                NewFan(email, password, full_name),
                now_of(request),
            )
    except InvalidInputError as error:
        context = {
            "errors": {_FIELD_OF_CODE.get(error.code, "f-email"): error.code},
            "values": {"full_name": full_name, "email": email},
        }
        return fan_page(request, "signup.html", context, status_code=422)
    return _signed_in(request, account, f"{base_of(request)}/account")


@router.get(f"/{LANG_PATH}/tickets/signin", response_model=None)
def signin_form(request: Request, next: str | None = None) -> Response:  # noqa: A002
    """Render the sign-in form."""
    context = {"failed": False, "next": safe_fan_next(request, next), "email": ""}
    return fan_page(request, "signin.html", context)


@router.post(f"/{LANG_PATH}/tickets/signin", response_model=None)
def signin(
    request: Request,
    email: Field = "",
    password: Field = "",
    csrf: Field = "",
    next: Field = "",  # noqa: A002
) -> Response:
    """Sign a fan in; the form again (401) on a wrong address or password."""
    if not valid_anonymous_form(request, csrf):
        return refused(request)
    try:
        with planes_of(request).sovereign_session() as sovereign:
            account = authenticate_fan(sovereign, spine_of(request), email, password)
    except FanAuthenticationError:
        context = {"failed": True, "next": safe_fan_next(request, next), "email": email}
        return fan_page(request, "signin.html", context, status_code=401)
    return _signed_in(request, account, safe_fan_next(request, next))


@router.post(f"/{LANG_PATH}/tickets/signout", response_model=None)
def signout(request: Request, csrf: Field = "") -> Response:
    """Close the fan's session and go back to the sessions list."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    with planes_of(request).sovereign_session() as sovereign:
        close_fan_session(sovereign, fan.token)
    response = see_other(f"{base_of(request)}")
    response.delete_cookie(FAN_COOKIE)
    return response


def _limits(request: Request, fan: FanPage) -> dict[str, object]:
    with planes_of(request).games_session() as games:
        per_session = Counter(t.session_code for t in account_ticket_rows(games, fan.account_id))
    return {
        "held": sum(per_session.values()),
        "account_limit": DEFAULT_RULES.account_limit,
        "session_limit": DEFAULT_RULES.session_limit,
        "per_session": sorted(per_session.items()),
    }


@router.get(f"/{LANG_PATH}/tickets/account", response_model=None)
def account(request: Request) -> Response:
    """Render the fan's account: name, e-mail, tickets held against the limits."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    with planes_of(request).sovereign_session() as sovereign:
        profile = fan_profile(sovereign, spine_of(request), fan.account_id)
    return fan_page(request, "account.html", {"profile": profile, **_limits(request, fan)}, fan=fan)
