"""The accessibility statement page: `/{lang}/accessibility`, in the RGAA 4.1 style.

The statement is computed by `podium.accessibility.statement` from the bundled audit (the
every-page browser test's results) and the hand-written limits; this page only lays it
out. Every page links to it from the footer (`base.html`), as the RGAA asks.
"""

from __future__ import annotations

import re

from babel.numbers import format_percent
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from podium.accessibility import (
    RGAA_VERSION,
    LimitKind,
    Statement,
    bundled_statement,
    pages_by_pattern,
)
from podium.web.i18n import Lang, language
from podium.web.rendering import LANG_PATH, PageRoute, lang_of, render

__all__ = ["percent", "router", "statement_markdown"]

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
    locale = language(code).locale
    pattern = locale.percent_formats[None].pattern  # "#,##0%" in English, "#,##0 %" in French
    one_decimal = re.sub(r"0(?!.*0)", "0.#", pattern, count=1)
    return str(format_percent(rate, one_decimal, locale=locale))


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
    statement = bundled_statement(request.app.state.settings.accessibility_contact)
    return render(request, "statement.html", _context(statement, lang_of(request)))


def _limit_lines(statement: Statement, kind: LimitKind, code: Lang) -> list[str]:
    _ = language(code).translations.gettext
    lines = []
    for limit in statement.limits_of(kind):
        alternative = limit.alternative(code)
        text = (
            f"{limit.text(code)} {_('Alternative:')} {alternative}"
            if alternative
            else limit.text(code)
        )
        lines.append(f"- {text} ({_('addresses:')} `{limit.where}`)")
    return lines


def _results_lines(statement: Statement, code: Lang) -> list[str]:
    _ = language(code).translations.gettext
    audit, rates = statement.audit, statement.rates
    if audit is None or rates is None:
        return [_("No audit has been made yet, so the site is declared not compliant.")]
    summary = _(
        "The automated audit of %(date)s meets %(rate)s of the checks that apply across the "
        "tested pages (global rate: %(met)s checks met, %(not_met)s not met). The mean rate "
        "of the pages is %(mean)s."
    ) % {
        "date": language(code).long_date(audit.audited_on),
        "rate": percent(rates.global_rate, code),
        "met": len(rates.conformant),
        "not_met": len(rates.non_conformant),
        "mean": percent(rates.mean_rate, code),
    }
    proxy = _(
        "This is an automated measure, not a manual audit of the 106 criteria of the RGAA. "
        "Each rule of axe-core (WCAG 2.2 levels A and AA, and best practices) and two layout "
        "checks (reflow at 320 CSS pixels, text enlarged to 200 %%) stand in for a criterion; "
        "a rule axe-core cannot decide is left for a manual check."
    ).replace("%%", "%")
    tools = [
        _("Browser: Chromium %(version)s, headless.") % {"version": audit.chromium},
        _("Checker: axe-core %(version)s, rules tagged %(tags)s.")
        % {"version": audit.axe_core, "tags": ", ".join(audit.axe_tags)},
    ]
    pages = [f"- `{page.url}` ({page.lang})" for page in audit.pages]
    return [
        summary,
        "",
        proxy,
        "",
        f"### {_('Test environment and tools')}",
        "",
        *(f"- {tool}" for tool in tools),
        "",
        f"### {_('Pages tested')}",
        "",
        *pages,
    ]


def _listed_below(statement: Statement, code: Lang) -> list[str]:
    if statement.failures or statement.limits_of(LimitKind.NON_CONFORMITY):
        return [language(code).translations.gettext("The non-conformities are listed below."), ""]
    return []


def _remedies(code: Lang) -> list[str]:
    _ = language(code).translations.gettext
    defenseur = {"defenseur": "Défenseur des droits"}
    intro = _(
        "If you report an accessibility defect that keeps you from a content or a feature of "
        "this site and get no answer from us, you are entitled to send your complaint, or a "
        "request for referral, to the %(defenseur)s (the French rights ombudsman). You can:"
    )
    letter = _("send a letter by post, free of charge (no stamp needed):")
    return [
        intro % defenseur,
        "",
        f"- {_('write a message to the %(defenseur)s') % defenseur}: {DEFENSEUR_FORM}",
        f"- {_('contact the delegate of the %(defenseur)s in your region') % defenseur}: "
        + DEFENSEUR_DELEGATES,
        f"- {letter} Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07",
    ]


def statement_markdown(statement: Statement, code: Lang) -> str:
    """Return the statement as Markdown, in the words of the page (its French catalogue).

    Args:
        statement: the computed statement.
        code: `en` or `fr`.
    """
    _ = language(code).translations.gettext
    state = statement.conformance.words(code)
    if code != "fr":
        state = f"{state} ({statement.conformance.words('fr')})"
    sections = {
        "Non-conformities": LimitKind.NON_CONFORMITY,
        "Disproportionate burden": LimitKind.DISPROPORTIONATE_BURDEN,
        "Content not subject to the accessibility obligation": LimitKind.EXEMPT,
    }
    found = [
        f"- {_('Automated check %(rule)s not met:') % {'rule': f.rule}} {f.help} "
        f"({_('pages:')} {', '.join(url for _p, _l, url in f.pages)})"
        for f in statement.failures
    ]
    lines = [
        f"# {_('Accessibility statement')}",
        "",
        _(
            "The organiser of this site is committed to making it accessible, in accordance "
            "with article 47 of French law no. 2005-102 of 11 February 2005."
        ),
        "",
        f"## {_('Compliance status')}",
        "",
        _(
            "This site is %(state)s with the RGAA, the French general accessibility "
            "improvement framework, version %(version)s."
        )
        % {"state": state, "version": RGAA_VERSION},
        "",
        *_listed_below(statement, code),
        f"## {_('Test results')}",
        "",
        *_results_lines(statement, code),
        "",
        f"## {_('Non-accessible content')}",
    ]
    for title, kind in sections.items():
        listed = _limit_lines(statement, kind, code)
        if kind is LimitKind.NON_CONFORMITY:
            listed = found + listed
        lines += ["", f"### {_(title)}", "", *(listed or [_("None.")])]
    lines += [
        "",
        f"## {_('Feedback and contact')}",
        "",
        f"{_('Contact:')} {statement.contact}",
        "",
        f"## {_('Remedies')}",
        "",
        *_remedies(code),
    ]
    return "\n".join(lines) + "\n"
