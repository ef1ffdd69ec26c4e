"""The accessibility statement page: `/{lang}/accessibility`, in the RGAA 4.1 style.

The statement is computed by `podium.accessibility.statement` from the bundled audit (the
every-page browser test's results) and the hand-written limits; this page only lays it
out. Every page links to it from the footer (`base.html`), as the RGAA asks.
"""

from __future__ import annotations

from babel.numbers import format_percent
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from podium.accessibility.statement import (
    RGAA_VERSION,
    LimitKind,
    Statement,
    StatementSettings,
    bundled_statement,
    pages_by_pattern,
)
from podium.web.i18n import Lang, language
from podium.web.rendering import LANG_PATH, PageRoute, lang_of, render

__all__ = ["percent", "router"]

router = APIRouter(route_class=PageRoute, include_in_schema=False)

DEFENSEUR_FORM = "https://formulaire.defenseurdesdroits.fr/"
"""The Défenseur des droits' online form (the statement's "voies de recours")."""
DEFENSEUR_DELEGATES = "https://www.defenseurdesdroits.fr/carte-des-delegues"
"""The map of the Défenseur des droits' delegates in each region."""


def percent(rate: float | None, code: Lang) -> str:
    """Format a rate in [0, 1] as a percentage, one decimal at most ("97,5 %"); "—" for None.

    Args:
        rate: the rate, or None when nothing could be measured.
        code: the page's language (`en`, `fr`), for the locale's digits and spacing.
    """
    if rate is None:
        return "—"
    return str(format_percent(rate, "#,##0.#%", locale=language(code).locale))


def _in_french(code: Lang, text: str) -> Markup | str:
    """Return French words for a page in `code`: marked `lang="fr"` inside an English page."""
    return text if code == "fr" else Markup('<span lang="fr">{}</span>').format(text)


def _state(statement: Statement, code: Lang) -> Markup | str:
    """Return the conformance state; an English page adds the RGAA's French words."""
    words = statement.conformance.words(code)
    if code == "fr":
        return words
    return Markup("{} ({})").format(words, _in_french(code, statement.conformance.words("fr")))


def _context(statement: Statement, code: Lang) -> dict[str, object]:
    rates = statement.rates
    audit = statement.audit
    return {
        "nav": "accessibility",
        "statement": statement,
        "rgaa_version": RGAA_VERSION,
        "state": _state(statement, code),
        "defenseur": _in_french(code, "Défenseur des droits"),
        "global_rate": percent(rates.global_rate if rates else None, code),
        "mean_rate": percent(rates.mean_rate if rates else None, code),
        "criteria": (len(rates.conformant), len(rates.non_conformant)) if rates else (0, 0),
        "page_rates": {(r.page.pattern, r.page.lang): r for r in rates.pages} if rates else {},
        "patterns": pages_by_pattern(audit) if audit else {},
        "kinds": LimitKind,
        "defenseur_form": DEFENSEUR_FORM,
        "defenseur_delegates": DEFENSEUR_DELEGATES,
    }


@router.get(f"/{LANG_PATH}/accessibility")
def statement_page(request: Request) -> HTMLResponse:
    """Render the accessibility statement in the request's language."""
    statement = bundled_statement(StatementSettings())
    return render(request, "statement.html", _context(statement, lang_of(request)))
