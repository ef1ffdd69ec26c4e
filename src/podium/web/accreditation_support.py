"""What the accreditation pages share: languages, the route class, rendering, the desk.

The staff pages of accreditation (`/staff/accreditation…`, `/staff/portal…`) are in
English and French: English at `/staff/…`, French at `/staff/fr/…`, so every address
stays under `/staff` (the sign-in redirect and its `next` check apply) and the public
`/{lang}/…` space stays public. `pages` registers a handler at both addresses; the handler
learns its language from `PageLang`. A refusal or a missing object raised by a route is
rendered as the error page in the page's language (`AccreditationRoute`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute

from podium.accreditation import Desk, open_desk
from podium.core.errors import NotFoundError, PermissionDeniedError
from podium.privacy.operators import Principal
from podium.web.auth import require_scope
from podium.web.deps import AppClock
from podium.web.i18n import Lang
from podium.web.rendering import render

__all__ = [
    "PREFIXES",
    "AccreditationRoute",
    "ApplicationReader",
    "ApplicationWriter",
    "DeskDep",
    "PageLang",
    "RegistrationWriter",
    "acc_error",
    "acc_page",
    "get_desk",
    "page_lang",
    "pages",
    "see_other",
    "staff_url",
]

PREFIXES: dict[Lang, str] = {"en": "/staff", "fr": "/staff/fr"}
"""Where each language's accreditation pages live."""
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
_TITLES = {403: "Not allowed", 404: "Not found"}
Handler = TypeVar("Handler", bound=Callable[..., Any])


def page_lang(request: Request) -> Lang:
    """Return the language of an accreditation page from its address (`/staff/fr/…`)."""
    path = request.url.path
    return "fr" if path == PREFIXES["fr"] or path.startswith(PREFIXES["fr"] + "/") else "en"


PageLang = Annotated[Lang, Depends(page_lang)]
"""The language of the page being served."""


def staff_url(lang: Lang, path: str) -> str:
    """Return the address of an accreditation page in a language (`path` starts with /)."""
    return PREFIXES[lang] + path


def pages(router: APIRouter, path: str, method: str = "GET") -> Callable[[Handler], Handler]:
    """Register a handler at its English and French addresses (`/staff…`, `/staff/fr…`).

    Args:
        router: the router of the pages.
        path: the address under the language prefix, e.g. `/accreditation/{code}`.
        method: `GET` or `POST`.
    """

    def register(handler: Handler) -> Handler:
        for code, prefix in PREFIXES.items():
            router.add_api_route(
                prefix + path, handler, methods=[method], name=f"{handler.__name__}_{code}"
            )
        return handler

    return register


def _other_url(request: Request, lang: Lang) -> str:
    other: Lang = "en" if lang == "fr" else "fr"
    path = request.url.path.removeprefix(PREFIXES[lang])
    query = f"?{request.url.query}" if request.url.query else ""
    return PREFIXES[other] + path + query


def acc_page(  # noqa: PLR0913 - the page, its language, template, context, who, status
    request: Request,
    lang: Lang,
    template: str,
    context: Mapping[str, Any],
    *,
    principal: Principal | None,
    status_code: int = 200,
) -> HTMLResponse:
    """Render an accreditation page in `lang`; never cached, never framed.

    Args:
        request: the request being answered.
        lang: the page's language.
        template: the template's name under `accreditation/`.
        context: the template's variables.
        principal: the signed-in operator (the header shows who), or None.
        status_code: the HTTP status.
    """
    # `render` picks the language from the path parameter `lang`; these addresses carry
    # the language as a fixed prefix instead (see the module docstring).
    request.scope.setdefault("path_params", {})["lang"] = lang
    frame = {
        "principal": principal,
        "base": PREFIXES[lang],
        "switch_url": _other_url(request, lang),
        "nav": None,
    }
    response = render(request, f"accreditation/{template}", {**frame, **context}, status_code)
    response.headers.update(_HEADERS)
    return response


def acc_error(
    request: Request, lang: Lang, principal: Principal | None, status_code: int, message: str
) -> HTMLResponse:
    """Render the error page (403 "Not allowed", 404 "Not found", else "Error") in `lang`."""
    context = {"title": _TITLES.get(status_code, "Error"), "message": message}
    return acc_page(
        request, lang, "error.html", context, principal=principal, status_code=status_code
    )


def see_other(lang: Lang, path: str) -> RedirectResponse:
    """Redirect a posted form to a page (303, Post/Redirect/Get)."""
    return RedirectResponse(staff_url(lang, path), status_code=303)


class AccreditationRoute(APIRoute):
    """A refusal raised by an accreditation route is the 403 page, a missing object the 404."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the route handler so that these errors render HTML in the page's language."""
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except PermissionDeniedError as error:
                return acc_error(request, page_lang(request), None, 403, str(error))
            except NotFoundError as error:
                return acc_error(request, page_lang(request), None, 404, str(error))

        return page_handler


def get_desk(request: Request) -> Desk:
    """Return the node's accreditation desk (keyring, access configuration), opened once.

    Shared by the pages, the accreditation API and the gate services
    (`app.state.accreditation_desk`), on the application's clock (`AppClock`).
    """
    state = request.app.state
    desk: Desk | None = getattr(state, "accreditation_desk", None)
    if desk is None:
        desk = open_desk(state.settings, state.planes, state.spine, clock=AppClock(request.app))
        state.accreditation_desk = desk
    return desk


DeskDep = Annotated[Desk, Depends(get_desk)]
"""The accreditation desk's services."""
ApplicationReader = Annotated[Principal, Depends(require_scope("accreditation:application:read"))]
"""An operator who may list and read accreditations."""
ApplicationWriter = Annotated[Principal, Depends(require_scope("accreditation:application:write"))]
"""An operator who may take lifecycle steps (the form's CSRF token checked separately)."""
RegistrationWriter = Annotated[Principal, Depends(require_scope("people:registration:write"))]
"""An operator who may register people of its own organisation."""
