"""What the fan pages share: the clock, the signed-in fan, form checks, money and rendering.

A fan signs in with T1's fan sessions (`podium.ticketing.open_fan_session`): the same
`podium_fan` cookie the JSON API reads, so one sign-in serves the pages and the API. Every
form that changes something posts a hidden `csrf` field: the fan session's CSRF token once
signed in, and before that (sign-up, sign-in) a double-submit token kept in a short cookie
(`podium_fan_form`). A post without the right token, or sent from another site, is refused
with the 401 page (OWASP CSRF cheat sheet, "double submit cookie" and "login CSRF").

The clock is the application's (`podium.web.deps.clock_of`, re-exported here): every step
and every rotating code reads it, and so does the API's fan check.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_currency
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from podium.core.db import Planes
from podium.privacy.spine import Spine
from podium.ticketing import (
    FAN_COOKIE,
    FanAuthenticationError,
    TicketOffice,
    fan_session,
    open_ticket_office,
)
from podium.web.deps import AppClock, clock_of, now_of
from podium.web.i18n import language
from podium.web.rendering import lang_of, render
from podium.web.staff_support import same_origin

__all__ = [
    "FORM_COOKIE",
    "FanPage",
    "base_of",
    "clock_of",
    "fan_page",
    "form_token",
    "money",
    "now_of",
    "office_of",
    "planes_of",
    "refused",
    "secure_cookies",
    "see_other",
    "sign_in_redirect",
    "signed_in_fan",
    "spine_of",
    "valid_anonymous_form",
    "valid_fan_form",
]

FORM_COOKIE = "podium_fan_form"
"""The cookie holding the double-submit token of the sign-up and sign-in forms."""

_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}


@dataclass(frozen=True, slots=True)
class FanPage:
    """The signed-in fan of a page: account id, the session's CSRF token, its cookie value."""

    account_id: str
    csrf_token: str
    token: str


def planes_of(request: Request) -> Planes:
    """Return the node's planes."""
    planes: Planes = request.app.state.planes
    return planes


def spine_of(request: Request) -> Spine:
    """Return the node's privacy services."""
    spine: Spine = request.app.state.spine
    return spine


def office_of(request: Request) -> TicketOffice:
    """Return the node's ticket office on the application's clock (`AppClock`).

    Shared with the ticket API and the gate services (`app.state.ticket_office`): one
    office per node, opened on first use.
    """
    state = request.app.state
    office: TicketOffice | None = getattr(state, "ticket_office", None)
    if office is None:
        office = open_ticket_office(spine_of(request), clock=AppClock(request.app))
        state.ticket_office = office
    return office


def secure_cookies(request: Request) -> bool:
    """Whether cookies are `Secure` (the node's settings; True when it has none)."""
    settings = getattr(request.app.state, "settings", None)
    return bool(getattr(settings, "secure_cookies", True))


def base_of(request: Request) -> str:
    """Return the fan pages' base path in the request's language (`/en/tickets`)."""
    return f"/{lang_of(request)}/tickets"


def signed_in_fan(request: Request) -> FanPage | None:
    """Return the fan signed in by the `podium_fan` cookie, or None."""
    token = request.cookies.get(FAN_COOKIE)
    if not token:
        return None
    try:
        with planes_of(request).sovereign_session() as sovereign:
            signed = fan_session(sovereign, token, now_of(request))
    except FanAuthenticationError:
        return None
    return FanPage(signed.account_id, signed.csrf_token, token)


def _same(given: str, expected: str | None) -> bool:
    return bool(expected) and secrets.compare_digest(given.encode(), (expected or "").encode())


def valid_fan_form(request: Request, fan: FanPage | None, csrf: str) -> bool:
    """Whether a fan's form post is genuine: same site and the session's CSRF token."""
    return fan is not None and same_origin(request) and _same(csrf, fan.csrf_token)


def valid_anonymous_form(request: Request, csrf: str) -> bool:
    """Whether a sign-up or sign-in post is genuine: same site, token equal to its cookie."""
    return same_origin(request) and _same(csrf, request.cookies.get(FORM_COOKIE))


def form_token(request: Request) -> str:
    """Return the double-submit token of an anonymous form (the cookie's, or a new one)."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)


def money(request: Request, cents: int) -> str:
    """Format an amount in euro cents in the page's language ("€85.00", "85,00 €")."""
    return str(format_currency(cents / 100, "EUR", locale=language(lang_of(request)).locale))


def fan_page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    fan: FanPage | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a fan page (never cached, never framed), with the fan and the base path.

    Args:
        request: the request.
        template: a template under `templates/ticketing/`.
        context: the template's variables.
        fan: the signed-in fan, or None.
        status_code: the HTTP status.
    """
    token = form_token(request) if fan is None else ""
    frame = {
        "nav": "tickets",
        "fan": fan,
        "base": base_of(request),
        "form_token": token,
        "money": lambda cents: money(request, cents),
    }
    response = render(request, f"ticketing/{template}", {**frame, **context}, status_code)
    response.headers.update(_HEADERS)
    if token:
        response.set_cookie(
            FORM_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=secure_cookies(request),
            path=base_of(request),
        )
    return response


def refused(request: Request, fan: FanPage | None = None) -> HTMLResponse:
    """Render the 401 page of a refused form (out of date, another site, or signed out)."""
    return fan_page(request, "refused.html", {}, fan=fan, status_code=401)


def see_other(url: str) -> RedirectResponse:
    """Redirect after a post (POST/redirect/GET): 303 See Other."""
    return RedirectResponse(url, status_code=303)


def sign_in_redirect(request: Request) -> RedirectResponse:
    """Send a visitor who is not signed in to the sign-in page, coming back afterwards."""
    return see_other(f"{base_of(request)}/signin?next={request.url.path}")
