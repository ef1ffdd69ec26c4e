"""What the staff pages share: rendering, the form checks, the route class and the labels.

Every staff page is rendered by `page` (never cached, never framed) and every refusal by
`error_page`; `StaffRoute` turns a refusal or a missing object raised by a route into those
pages. Every form that changes something posts a hidden `csrf` field equal to the session's
CSRF token, and is refused when its `Origin` header names another host (`FormOperator`);
the sign-in form, which has no session yet, is guarded by `same_origin` alone (login CSRF).
The routes themselves are in `podium.web.staff_pages`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Coroutine, Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Form, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.core.errors import NotFoundError, PermissionDeniedError
from podium.privacy.access import authorize
from podium.privacy.operators import Principal
from podium.privacy.policy import Effect
from podium.privacy.spine import Spine
from podium.web.auth import CurrentOperator, require_scope
from podium.web.rendering import render

__all__ = [
    "FIELD_OF_CODE",
    "HOME",
    "LOGIN",
    "REGION_LABELS",
    "AuditReader",
    "FormOperator",
    "FormRefusedError",
    "OperatorReader",
    "PersonReader",
    "RequestReader",
    "StaffRoute",
    "denied",
    "error_page",
    "page",
    "safe_next",
    "same_origin",
]

HOME = "/staff/"
"""The dashboard's path, where a sign-in goes on to by default."""
LOGIN = "/staff/login"
"""The sign-in page's path."""
REGION_LABELS = {
    "eu-eea": "EU/EEA",
    "adequacy": "adequacy country (GDPR Art. 45)",
    "third-country": "third country",
}
"""How the dashboard names an operator's region (GDPR Chapter V)."""

FIELD_OF_CODE = {
    "username_invalid": "username",
    "username_taken": "username",
    "password_too_short": "password",
    "country_unknown": "home_country",
    "roles_unknown": "roles",
    "purposes_unknown": "purposes",
}
"""The operator form field that each `create_operator` error code is shown beside."""
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


def page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    principal: Principal | None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render a staff page; staff pages are never cached and never framed.

    Args:
        request: the request being answered.
        template: the template's name under `staff/` (e.g. `dashboard.html`).
        context: the template's variables, besides `principal` and `open_pages`.
        principal: the signed-in operator, or None (sign-in and error pages); decides
            which navigation links are shown.
        status_code: the HTTP status of the response.
    """
    open_pages = _open_pages(request.app.state.spine, principal) if principal else set()
    response = render(
        request,
        f"staff/{template}",
        {"principal": principal, "open_pages": open_pages, **context},
        status_code,
    )
    response.headers.update(_HEADERS)
    return response


def error_page(
    request: Request, principal: Principal | None, status_code: int, message: str
) -> HTMLResponse:
    """Render the staff error page (403 "Not allowed", 404 "Not found", else "Error").

    Args:
        request: the request being answered.
        principal: the signed-in operator, or None when not known.
        status_code: the HTTP status of the response; also picks the page's title.
        message: what to tell the reader (the policy's reason for a refusal).
    """
    titles = {403: "Not allowed", 404: "Not found"}
    context = {"title": titles.get(status_code, "Error"), "message": message, "nav": None}
    return page(request, "error.html", context, principal, status_code)


class StaffRoute(APIRoute):
    """A staff route: a refusal (form, scope) is the 403 page, a missing object the 404 page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the route handler so that these errors render HTML, not JSON."""
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except PermissionDeniedError as error:
                return error_page(request, None, 403, str(error))
            except NotFoundError as error:
                return error_page(request, None, 404, str(error))

        return page_handler


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


def same_origin(request: Request) -> bool:
    """Whether a form post comes from this site: no `Origin` header, or one naming this host.

    Args:
        request: the posted request; its `Origin` is compared with its `Host`.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in {"http", "https"} and parts.netloc == request.headers.get("host")


def _form_principal(
    request: Request, principal: CurrentOperator, csrf: Annotated[str, Form()] = ""
) -> Principal:
    if not same_origin(request):
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


def denied(
    spine: Spine, sovereign: Session, principal: Principal, category: DataCategory, action: str
) -> str | None:
    """Authorise like the API; return the refusal's message, or None when allowed.

    The decision is audited by `authorize`, a refusal included; the refusal is returned
    instead of raised so the caller can answer with a page and the transaction commits.

    Args:
        spine: the privacy spine (policy and audit log).
        sovereign: a sovereign-plane session (the request's transaction).
        principal: the signed-in operator.
        category: the data category the page shows.
        action: the audited action, `domain.entity.action`.
    """
    try:
        authorize(spine, sovereign, principal, category=category, action=action)
    except PermissionDeniedError as error:
        return str(error)
    return None
