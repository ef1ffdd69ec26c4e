"""The accessibility statement (déclaration d'accessibilité, RGAA 4.1), computed from the audit.

The audit is `data/audit.json`, written by the every-page browser test: each HTML page of
the application, in each of its languages, opened in headless Chromium and checked by
axe-core, at 320 CSS pixels and with text at 200 %. Regenerate it, after any change to
the pages, with:

    export PODIUM_ACCESSIBILITY_AUDIT=src/podium/accessibility/data/audit.json
    .tools/bin/uv run --frozen pytest -m accessibility_audit

(`tests/accessibility_audit.py` writes the file when the variable names one; the tests
marked `accessibility_audit` are the every-page test and the keyboard journeys.) A test
fails when the bundled audit no longer lists exactly the application's HTML pages.

What the rates measure, and what they do not: this is an automated proxy, not a manual
RGAA audit of the 106 criteria. Each axe-core rule of the audit's tags (WCAG 2.2 A and
AA, and best practices), plus two layout checks (reflow at 320 CSS pixels, RGAA 10.11;
text at 200 %, RGAA 10.4), stands in for a criterion. On a page, a rule is *met* when
axe-core passed it and found no failing or undecided node, *not met* when a node failed,
and left out when axe-core could not decide (`incomplete`: to check by hand) or when
nothing on the page is subject to it. The rates aggregate as RGAA 4.1 aggregates criteria
(methodology, "taux de conformité"):

- the rate of a page is met / (met + not met);
- the mean rate is the mean of the pages' rates;
- the global rate is C / (C + NC) over the rules, where a rule is NC when it is not met
  on at least one page, and C when it is met on at least one page and not met on none.

The conformance state follows the global rate (RGAA 4.1, "Déclaration d'accessibilité";
decree no. 2019-768, art. 5): *totalement conforme* at 100 %, *partiellement conforme* at
50 % or more, *non conforme* below 50 % or when no audit exists. A hand-written
non-conformity (below) caps it at *partiellement conforme*: a statement that lists one
cannot say that every criterion is met.

The contents known not to be accessible come from the audit (every rule not met, with its
pages) and from `data/statement.toml` (limits a browser test cannot see: the tactile page
needs JavaScript, spoken audio needs espeak-ng, PDF tickets and cards are not tagged...).
The feedback contact is the node's `Settings.accessibility_contact`
(`PODIUM_ACCESSIBILITY_CONTACT`: an e-mail address or a web address), else the file's
default.

Errors: `StatementDataError` (code `statement_data_invalid`): the audit or the statement
file is missing a field, holds a wrong value or is not JSON/TOML; the message names the
file and the field.
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Self

from pydantic import Field, ValidationError, model_validator

from podium.accessibility.audit import (
    AUDIT_ENV,
    BUNDLED_AUDIT,
    Audit,
    AxeViolation,
    FrozenModel,
    JourneyAudit,
    Lang,
    PageAudit,
    StatementDataError,
    invalid_file,
    load_audit,
)

__all__ = [
    "AUDIT_ENV",
    "BUNDLED_AUDIT",
    "BUNDLED_STATEMENT_DATA",
    "LAYOUT_CHECKS",
    "RGAA_VERSION",
    "TECHNOLOGIES",
    "Audit",
    "AxeViolation",
    "Conformance",
    "Failure",
    "JourneyAudit",
    "KnownLimit",
    "LimitKind",
    "PageAudit",
    "PageRate",
    "Rates",
    "Statement",
    "StatementData",
    "StatementDataError",
    "build_statement",
    "bundled_statement",
    "conformance_of",
    "load_audit",
    "load_statement_data",
    "pages_by_pattern",
    "rates_of",
]

_DATA = Path(__file__).parent / "data"
BUNDLED_STATEMENT_DATA = _DATA / "statement.toml"
"""The hand-written part of the statement: known limits and the default contact."""
HALF = 0.5
"""The global rate from which a site is partially compliant (RGAA 4.1: 50 %)."""
RGAA_VERSION = "4.1"
"""The version of the RGAA the statement refers to."""
TECHNOLOGIES = ("HTML", "CSS", "JavaScript", "WAI-ARIA", "SVG")
"""The technologies the pages rely on (the statement's "Technologies utilisées")."""
LAYOUT_CHECKS = {
    "reflow-320": "RGAA 10.11, WCAG 1.4.10",
    "text-200": "RGAA 10.4, WCAG 1.4.4",
}
"""The layout checks counted as criteria beside axe-core's rules, with their source."""


class LimitKind(enum.StrEnum):
    """The three kinds of non-accessible content a statement lists (RGAA 4.1)."""

    NON_CONFORMITY = "non-conformity"
    DISPROPORTIONATE_BURDEN = "disproportionate-burden"
    EXEMPT = "exempt"


class KnownLimit(FrozenModel):
    """A content known not to be accessible, written by hand in `statement.toml`.

    Attributes:
        kind: non-conformity, disproportionate burden (with its reason) or exempt.
        where: the addresses concerned (a route pattern or a description).
        en, fr: what is not accessible, in each language.
        alternative_en, alternative_fr: the accessible alternative, if there is one.
    """

    kind: LimitKind
    where: str
    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)
    alternative_en: str = ""
    alternative_fr: str = ""

    @model_validator(mode="after")
    def _alternative_in_both(self) -> Self:
        if bool(self.alternative_en) != bool(self.alternative_fr):
            raise ValueError(f"{self.where}: give the alternative in English and in French")
        return self

    def text(self, lang: Lang) -> str:
        """Return what is not accessible, in `lang`."""
        return self.en if lang == "en" else self.fr

    def alternative(self, lang: Lang) -> str:
        """Return the accessible alternative in `lang` ("" when none)."""
        return self.alternative_en if lang == "en" else self.alternative_fr


class StatementData(FrozenModel):
    """The hand-written part of the statement (`statement.toml`).

    Attributes:
        contact: the default feedback contact (an e-mail address or a web address).
        limits: the contents known not to be accessible.
    """

    contact: str = Field(min_length=3)
    limits: tuple[KnownLimit, ...] = Field(default=(), alias="limit")


class Conformance(enum.StrEnum):
    """The conformance state of RGAA 4.1, by the global rate."""

    FULL = "full"
    PARTIAL = "partial"
    NONE = "none"

    def words(self, lang: Lang) -> str:
        """Return the state in the RGAA's words ("partiellement conforme", "not compliant")."""
        return _WORDS[self][lang]


_WORDS: dict[Conformance, dict[Lang, str]] = {
    Conformance.FULL: {"fr": "totalement conforme", "en": "fully compliant"},
    Conformance.PARTIAL: {"fr": "partiellement conforme", "en": "partially compliant"},
    Conformance.NONE: {"fr": "non conforme", "en": "not compliant"},
}


def conformance_of(global_rate: float | None) -> Conformance:
    """Return the conformance state of a global rate (RGAA 4.1, "État de conformité").

    Args:
        global_rate: criteria met / criteria applicable, in [0, 1]; None when no audit.

    Returns:
        FULL at 1, PARTIAL from 0.5, NONE below 0.5 or without an audit.
    """
    if global_rate is None:
        return Conformance.NONE
    if global_rate >= 1:
        return Conformance.FULL
    if global_rate >= HALF:
        return Conformance.PARTIAL
    return Conformance.NONE


@dataclass(frozen=True)
class PageRate:
    """One page's criteria met and not met, and its rate (None when nothing applies)."""

    page: PageAudit
    met: int
    not_met: int

    @property
    def rate(self) -> float | None:
        """Return met / (met + not met), or None when no criterion applies."""
        applicable = self.met + self.not_met
        return self.met / applicable if applicable else None


@dataclass(frozen=True)
class Rates:
    """The rates of an audit, aggregated as RGAA 4.1 aggregates criteria.

    Attributes:
        pages: each page's rate.
        conformant: criteria met on at least one page and not met on none (C).
        non_conformant: criteria not met on at least one page (NC).
        global_rate: C / (C + NC); None when no criterion applies anywhere.
        mean_rate: the mean of the pages' rates; None when no page has a rate.
    """

    pages: tuple[PageRate, ...]
    conformant: tuple[str, ...]
    non_conformant: tuple[str, ...]
    global_rate: float | None
    mean_rate: float | None


def rates_of(audit: Audit) -> Rates:
    """Compute the per-page, mean and global rates of an audit (see the module docstring)."""
    pages = tuple(PageRate(p, len(p.met()), len(p.not_met())) for p in audit.pages)
    met = set().union(*(p.met() for p in audit.pages))
    not_met = set().union(*(p.not_met() for p in audit.pages))
    conformant = tuple(sorted(met - not_met))
    non_conformant = tuple(sorted(not_met))
    applicable = len(conformant) + len(non_conformant)
    rated = [r.rate for r in pages if r.rate is not None]
    return Rates(
        pages=pages,
        conformant=conformant,
        non_conformant=non_conformant,
        global_rate=len(conformant) / applicable if applicable else None,
        mean_rate=sum(rated) / len(rated) if rated else None,
    )


@dataclass(frozen=True)
class Failure:
    """A criterion the audit found not met, with the pages where it failed.

    Attributes:
        rule: the axe-core rule id, or a layout check (`reflow-320`, `text-200`).
        help: what the rule asks, as axe-core words it (or the check's source).
        pages: (pattern, lang, url) of each page where it failed.
    """

    rule: str
    help: str
    pages: tuple[tuple[str, str, str], ...]


def _failures(audit: Audit) -> tuple[Failure, ...]:
    helps: dict[str, str] = {}
    where: dict[str, list[tuple[str, str, str]]] = {}
    for page in audit.pages:
        for violation in page.violations:
            helps.setdefault(violation.rule, violation.help)
        for rule in sorted(page.not_met()):
            helps.setdefault(rule, LAYOUT_CHECKS.get(rule, rule))
            where.setdefault(rule, []).append((page.pattern, page.lang, page.url))
    return tuple(Failure(rule, helps[rule], tuple(where[rule])) for rule in sorted(where))


@dataclass(frozen=True)
class Statement:
    """Everything an accessibility statement says, computed from the audit.

    Attributes:
        audit: the audit, or None when there is none (the state is then NONE).
        rates: the audit's rates, or None without an audit.
        conformance: the RGAA state by the global rate.
        failures: the criteria the audit found not met (non-conformities).
        limits: the hand-written contents known not to be accessible.
        contact: the feedback contact (an e-mail address or a web address).
        technologies: the technologies the pages rely on.
    """

    audit: Audit | None
    rates: Rates | None
    conformance: Conformance
    failures: tuple[Failure, ...]
    limits: tuple[KnownLimit, ...]
    contact: str
    technologies: tuple[str, ...] = TECHNOLOGIES

    def limits_of(self, kind: LimitKind) -> tuple[KnownLimit, ...]:
        """Return the hand-written limits of one kind."""
        return tuple(limit for limit in self.limits if limit.kind is kind)

    @property
    def contact_href(self) -> str:
        """Return a link to the contact: `mailto:` for an address, the URL itself for a URL."""
        if self.contact.startswith(("https://", "http://", "mailto:")):
            return self.contact
        return f"mailto:{self.contact}" if "@" in self.contact else ""


def build_statement(audit: Audit | None, data: StatementData, contact: str | None) -> Statement:
    """Compute the statement of an audit (the state capped by known non-conformities).

    Args:
        audit: the audit, or None when none was made.
        data: the hand-written limits and the default contact.
        contact: the node's contact (`Settings.accessibility_contact`), or None for the default.
    """
    rates = rates_of(audit) if audit is not None else None
    conformance = conformance_of(rates.global_rate if rates else None)
    known = any(limit.kind is LimitKind.NON_CONFORMITY for limit in data.limits)
    if conformance is Conformance.FULL and known:
        # A statement that lists a non-conformity cannot say every criterion is met.
        conformance = Conformance.PARTIAL
    return Statement(
        audit=audit,
        rates=rates,
        conformance=conformance,
        failures=_failures(audit) if audit is not None else (),
        limits=data.limits,
        contact=contact or data.contact,
    )


def load_statement_data(path: Path = BUNDLED_STATEMENT_DATA) -> StatementData:
    """Load and validate the statement's hand-written part (TOML).

    Raises:
        StatementDataError: the file is missing, not TOML, or breaks a rule.
    """
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise StatementDataError(f"{path}: {error}") from error
    try:
        return StatementData.model_validate(raw)
    except ValidationError as error:
        raise invalid_file(path, error) from error


@cache
def _bundled(audit_path: Path, data_path: Path, contact: str | None) -> Statement:
    try:
        audit: Audit | None = load_audit(audit_path)
    except FileNotFoundError:
        audit = None
    return build_statement(audit, load_statement_data(data_path), contact)


def bundled_statement(contact: str | None = None) -> Statement:
    """Return the statement of the bundled audit, computed once per process and contact.

    Args:
        contact: the node's feedback contact (`Settings.accessibility_contact`); None
            keeps `statement.toml`'s.

    Raises:
        StatementDataError: the bundled audit or statement file is invalid.
    """
    return _bundled(BUNDLED_AUDIT, BUNDLED_STATEMENT_DATA, contact)


def pages_by_pattern(audit: Audit) -> dict[str, list[PageAudit]]:
    """Group an audit's pages by route pattern, in the audit's order."""
    grouped: dict[str, list[PageAudit]] = {}
    for page in audit.pages:
        grouped.setdefault(page.pattern, []).append(page)
    return grouped
