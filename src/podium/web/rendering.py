"""Rendering pages: one Jinja2 environment per language, the page route and the 404 page.

Every page is rendered with the same frame (`base.html`): the language switch pointing at
the same page in the other language, the navigation with `aria-current`, and the landmarks.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from functools import cache, partial
from typing import Any, TypeVar

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.convertors import Convertor, register_url_convertor

from podium.core.errors import NotFoundError
from podium.web.i18n import LANGS, Lang, language, other_lang
from podium.web.names import data_lang_attribute, data_name, in_discipline, noc_label

__all__ = ["LANG_PATH", "PageRoute", "exact_or_upper", "lang_of", "moved_to", "not_found", "render"]

LANG_PATH = "{lang:podium_lang}"
"""The first path segment of every page: a language code, and nothing else matches."""


class _LangConvertor(Convertor[str]):
    regex = "|".join(LANGS)

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("podium_lang", _LangConvertor())


@cache
def _environment(code: Lang) -> Environment:
    lang = language(code)
    env = Environment(
        loader=PackageLoader("podium.web", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = lang
    env.globals["other"] = language(other_lang(code))
    env.globals["data_lang"] = data_lang_attribute(code)
    env.globals["in_discipline"] = in_discipline
    env.filters["long_date"] = lang.long_date
    env.filters["short_date"] = lang.short_date
    env.filters["local_time"] = lang.local_time
    env.filters["number"] = lang.number
    env.filters["noc_label"] = noc_label
    env.filters["data_name"] = partial(data_name, code)
    return env


def lang_of(request: Request) -> Lang:
    """Return the language of the page being served (the default outside the pages)."""
    code = request.path_params.get("lang")
    return code if code in LANGS else LANGS[0]


def _switch_url(request: Request, code: Lang) -> str:
    """Return the same page's URL in another language, query string kept.

    Outside the languages (`/de/`, `/favicon.ico`) there is no same page: the other
    language's home page is offered instead.
    """
    parts = request.url.path.split("/", 2)
    if len(parts) < 2 or parts[1] not in LANGS:
        return f"/{code}/"
    rest = parts[2] if len(parts) > 2 else ""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/{code}/{rest}{query}"


def render(
    request: Request, template: str, context: Mapping[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a page template in the request's language.

    Args:
        request: the request (its first path segment gives the language).
        template: the template's file name under `templates/`.
        context: the template's variables; `nav` names the current navigation item.
        status_code: the HTTP status of the page.

    """
    code = lang_of(request)
    frame = {
        "nav": None,
        "switch_url": _switch_url(request, other_lang(code)),
        "path": request.url.path,
    }
    html = _environment(code).get_template(template).render({**frame, **context})
    return HTMLResponse(html, status_code=status_code)


def not_found(request: Request) -> HTMLResponse:
    """Render the 404 page in the request's language."""
    return render(request, "not_found.html", {}, status_code=404)


T = TypeVar("T")


def exact_or_upper(lookup: Callable[[str], T], code: str) -> tuple[T, bool]:
    """Find an object by its ODF code as typed, else by the code in upper case.

    ODF codes (NOC codes, event codes, RSCs) are upper case, so the upper-case form of a
    code typed in lower or mixed case names one object at most: it is unambiguous.

    Args:
        lookup: a query returning the object of a code, raising `NotFoundError` if none.
        code: the code as it appears in the address.

    Returns:
        The object, and True when it was found only under the upper-case code (the page
        should then redirect to its canonical address).

    Raises:
        NotFoundError: from `lookup`, when neither form names an object.

    """
    try:
        return lookup(code), False
    except NotFoundError:
        if code == code.upper():
            raise
    return lookup(code.upper()), True


def moved_to(request: Request, path: str) -> RedirectResponse:
    """Redirect permanently (308) to the canonical address of a page, query string kept."""
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{path}{query}", status_code=308)


class PageRoute(APIRoute):
    """A page route: a `NotFoundError` from a query becomes the 404 page, not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """Wrap the route handler so that missing objects render the 404 page."""
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except NotFoundError:
                return not_found(request)

        return page_handler
