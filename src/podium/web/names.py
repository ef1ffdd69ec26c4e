"""Names as the pages print them: people as `FAMILY Given`, NOCs by a name that is not a code.

Results print a person as `FAMILY Given` (the ODF printed name); the medal files give
`Given FAMILY` (the television name). The pages use the printed form everywhere: the
participant's printed name when the games plane knows the person, else the medal file's
name turned round by `printed_form`.

The data set names disciplines, events, units, venues and NOCs in English only: a French
page marks each such name as English (`data_name`), so that a screen reader does not read
it with a French voice (WCAG 3.1.2 Language of Parts). Events and units repeat across
disciplines ("Men", "Men's Singles"), so out of their discipline's context they are named
with it (`in_discipline`).
"""

from __future__ import annotations

from collections.abc import Iterable

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.games import queries
from podium.games.schemas import NocPublic
from podium.people import Participant
from podium.results import MedallistPublic
from podium.web.i18n import Lang

__all__ = [
    "DATA_LANG",
    "data_lang_attribute",
    "data_name",
    "in_discipline",
    "noc_label",
    "noc_names",
    "printed_form",
    "printed_medallists",
]

DATA_LANG: Lang = "en"
"""The language of the names in the data set (disciplines, events, units, venues, NOCs)."""

_IN_DISCIPLINE = "{discipline} — {name}"

_PARTICLES = frozenset(
    {"da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "la", "le"}
    | {"mac", "mc", "o", "st", "ten", "ter", "van", "von"}
)
"""Lower-case or capitalised words that belong to the family name before it (`dos SANTOS`,
`van GASS`, `Mc SHARRY`, `O DONOVAN`): they move with it."""


def _is_family_word(word: str) -> bool:
    # A family name is written in capitals ("LYLES", "McLAUGHLIN-LEVRONE"); one capital
    # letter alone ("B", "J.") is an initial, not a family name.
    letters = [c for c in word if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return capitals >= 2 and capitals * 2 > len(letters)


def _starts_with_family_name(word: str) -> bool:
    # "HE Bing Jiao", "B HATZ" (an initial or a family name: left alone), "dos SANTOS ...",
    # "Van DUYSEN Hannes": no given name is written in capitals or starts with a particle.
    return not any(c.islower() for c in word) or word.lower() in _PARTICLES


def printed_form(name: str) -> str:
    """Turn a `Given FAMILY` name into the printed `FAMILY Given`; leave other names as they are.

    A name that already starts with its family name ("HE Bing Jiao", "dos SANTOS Gabriel"),
    with a capital initial ("B HATZ"), a single word, or a name with no capitalised family
    name (a team, "BOTIN/TRITTEL") is kept.

    Args:
        name: a person's name as the medal files give it, as in "Gabriel dos SANTOS".

    Returns:
        The printed form, as in "dos SANTOS Gabriel".

    """
    words = name.split()
    if len(words) < 2 or _starts_with_family_name(words[0]):
        return name
    start = next((i for i, word in enumerate(words) if _is_family_word(word)), None)
    if start is None:
        return name
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[start:] + words[:start])


def printed_medallists(session: Session, rows: Iterable[MedallistPublic]) -> list[MedallistPublic]:
    """Return medallists with each person's name in the printed form, teams unchanged.

    Args:
        session: a games-plane session.
        rows: medallists as `podium.results.medallists` returns them.

    """
    rows = list(rows)
    people = {r.competitor_code for r in rows if r.competitor_code and r.competitor_code.isdigit()}
    printed: dict[str, str] = {}
    if people:
        query = select(Participant.code, Participant.printed_name).where(
            Participant.code.in_(people)
        )
        printed = dict(session.execute(query).all())
    return [
        row.model_copy(
            update={"competitor_name": printed.get(code, printed_form(row.competitor_name))}
        )
        if (code := row.competitor_code) in people
        else row
        for row in rows
    ]


def noc_label(noc: NocPublic) -> str:
    """Return the name to show for an NOC: its long name when its name is only its code.

    Some delegations are named by their code alone ("EOR"); their long name says who they
    are ("Refugee Olympic Team").
    """
    return noc.long_name if noc.name == noc.code and noc.long_name else noc.name


def noc_names(session: Session) -> dict[str, str]:
    """Return the name to show for every NOC, by code."""
    return {n.code: noc_label(n) for n in queries.nocs(session)}


def data_name(page: Lang, name: str) -> Markup:
    """Return a name from the data set as HTML, marked as English on a page in another language.

    Args:
        page: the language of the page.
        name: a discipline, event, unit, venue or NOC name, as the data set gives it.

    Returns:
        The escaped name, in a `<span lang="en">` on a page that is not in English.

    """
    if page == DATA_LANG:
        return escape(name)
    return Markup('<span lang="{}">{}</span>').format(DATA_LANG, name)


def data_lang_attribute(page: Lang) -> Markup:
    """Return the `lang` attribute of an element holding only a data-set name ("" in English).

    For elements that cannot hold a `<span>`, such as a select's `<option>`.
    """
    return Markup("") if page == DATA_LANG else Markup(' lang="{}"').format(DATA_LANG)


def in_discipline(discipline: str, name: str) -> str:
    """Name an event or a unit with its discipline, as in "Basketball — Men".

    Twelve events are named just "Men" or "Women", and others repeat across disciplines
    ("Men's Singles" in badminton, table tennis and tennis): out of their discipline's
    context (a heading, a title, a link from elsewhere) they need it to be told apart.

    Args:
        discipline: the discipline's name ("Basketball").
        name: the event's or unit's name ("Men").

    """
    return _IN_DISCIPLINE.format(discipline=discipline, name=name)
