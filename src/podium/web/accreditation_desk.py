"""The accreditation desk: find, open and print accreditations (the steps are in `..._steps`).

`/staff/accreditation` (French: `/staff/fr/accreditation`) searches by family name (the
registration's blind index, `podium.people.search_people`) or by accreditation number,
and lists accreditations by organisation, category and status, with a batch print of the
listed cards. `/staff/accreditation/{code}` shows one accreditation (its holder as the
policy allows, its history) and the steps its status allows (`accreditation_steps`).
Cards are downloaded as PDF from the credential the print step signed and stored; the
holder's name and photo are read for it under the policy, audited.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.accreditation import (
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    Desk,
    Organisation,
    OrganisationScopeError,
    card_data,
    check_card_access,
    organisation_limit,
    read_holders,
    render_cards,
)
from podium.core.errors import NotFoundError, PermissionDeniedError
from podium.people import search_people
from podium.privacy.operators import Principal
from podium.privacy.spine import Spine
from podium.web.accreditation_support import (
    AccreditationRoute,
    ApplicationReader,
    DeskDep,
    PageLang,
    acc_page,
    pages,
    see_other,
)
from podium.web.auth import SovereignSession, SpineDep
from podium.web.deps import GamesSession

__all__ = ["LIST_LIMIT", "PRINTABLE", "check_desk", "load_accreditation", "router"]

router = APIRouter(route_class=AccreditationRoute, include_in_schema=False)

LIST_LIMIT = 200
"""Most accreditations one list shows (narrow it with the filters)."""
PRINTABLE = frozenset(
    s.value
    for s in (
        AccreditationStatus.APPROVED,
        AccreditationStatus.PRINTED,
        AccreditationStatus.VALIDATED,
    )
)
"""Statuses whose card may be printed (again)."""
_DESK_ROLES = frozenset({"accreditation-officer", "vetting-officer"})
_MAX_NUMBER = 2**31 - 1


def check_desk(principal: Principal) -> None:
    """Admit accreditation and vetting officers (a token: its scope, checked before).

    Raises:
        PermissionDeniedError: `role_missing` for a sign-in without either role.
    """
    if principal.scopes is None and not principal.roles & _DESK_ROLES:
        raise PermissionDeniedError(
            "the accreditation desk needs the role accreditation-officer or vetting-officer",
            code="role_missing",
        )


def load_accreditation(games: Session, principal: Principal, code: str) -> Accreditation:
    """Return the accreditation `code` numbers, if this operator may see it.

    Raises:
        NotFoundError: no accreditation has this number (the 404 page).
        OrganisationScopeError: it belongs to another organisation than the operator's.
    """
    number = int(code) if code.isdigit() and int(code) <= _MAX_NUMBER else None
    row = games.get(Accreditation, number) if number is not None else None
    if row is None:
        raise NotFoundError(f"No accreditation has the number {code}.")
    limit = organisation_limit(games, principal)
    if limit is not None and row.organisation_code != limit:
        raise OrganisationScopeError(
            f"Accreditation {row.id} belongs to another organisation than yours ({limit})."
        )
    return row


def _listed(games: Session, limit: str | None, chosen: dict[str, str]) -> list[Accreditation]:
    query = select(Accreditation).order_by(Accreditation.id).limit(LIST_LIMIT)
    for column, value in (
        (Accreditation.organisation_code, limit or chosen["organisation"]),
        (Accreditation.category, chosen["category"]),
        (Accreditation.status, chosen["status"]),
    ):
        if value:
            query = query.where(column == value)
    return list(games.scalars(query))


def _search(  # noqa: PLR0913 - the search and its services
    games: Session,
    sovereign: Session,
    spine: Spine,
    principal: Principal,
    *,
    text: str,
    limit: str | None,
) -> list[dict[str, Any]]:
    found = search_people(sovereign, spine, principal, text, organisation=limit)
    subjects = [person.subject_id for person in found]
    query = select(Accreditation).where(Accreditation.subject_id.in_(subjects))
    rows = {a.subject_id: a for a in games.scalars(query)}
    return [{"person": person, "accreditation": rows.get(person.subject_id)} for person in found]


def _organisations(games: Session, limit: str | None) -> list[tuple[str, str]]:
    query = select(Organisation.code, Organisation.name).order_by(Organisation.code)
    if limit is not None:
        query = query.where(Organisation.code == limit)
    return [(code, name) for code, name in games.execute(query)]


@pages(router, "/accreditation")
def desk_page(  # noqa: PLR0913 - the page, who, the services, and the search and filters
    request: Request,
    lang: PageLang,
    principal: ApplicationReader,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
    q: str | None = None,
    organisation: str = "",
    category: str = "",
    status: str = "",
) -> Response:
    """Search by family name or number; list by organisation, category and status."""
    check_desk(principal)
    limit = organisation_limit(games, principal)
    text = (q or "").strip()
    if text.isdigit():
        return see_other(lang, f"/accreditation/{text}")
    chosen = {"organisation": organisation, "category": category, "status": status}
    context = {
        "nav": "desk",
        "q": text,
        "q_error": q is not None and not text,
        "results": _search(games, sovereign, spine, principal, text=text, limit=limit)
        if text
        else None,
        "listed": _listed(games, limit, chosen) if any(chosen.values()) else None,
        "chosen": chosen,
        "printable": PRINTABLE,
        "list_limit": LIST_LIMIT,
        "organisations": _organisations(games, limit),
        "categories": [(c.code, c.en, c.fr) for c in desk.access.category],
        "statuses": [s.value for s in AccreditationStatus],
        "printed": request.query_params.get("printed", ""),
        "error": request.query_params.get("error"),
    }
    status_code = 422 if context["q_error"] else 200
    return acc_page(
        request, lang, "desk.html", context, principal=principal, status_code=status_code
    )


def accreditation_context(
    games: Session, sovereign: Session, spine: Spine, principal: Principal, row: Accreditation
) -> dict[str, Any]:
    """Return what the accreditation page shows: the row, its holder, its history."""
    holder = read_holders(spine, sovereign, principal, [row.subject_id])[row.subject_id]
    history = games.scalars(
        select(AccreditationStep)
        .where(AccreditationStep.accreditation_id == row.id)
        .order_by(AccreditationStep.at, AccreditationStep.id)
    )
    return {
        "nav": "desk",
        "row": row,
        "holder": holder,
        "history": list(history),
        "organisation": games.get(Organisation, row.organisation_code),
    }


@pages(router, "/accreditation/{code}")
def accreditation_page(  # noqa: PLR0913 - the page, who, and the services
    request: Request,
    code: str,
    lang: PageLang,
    principal: ApplicationReader,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
) -> Response:
    """Show one accreditation, its holder as the policy allows, its history and its steps."""
    from podium.web.accreditation_steps import step_forms  # noqa: PLC0415 - no cycle at import

    check_desk(principal)
    row = load_accreditation(games, principal, code)
    context = accreditation_context(games, sovereign, spine, principal, row)
    context.update(step_forms(desk, row, request.query_params.get("done")))
    return acc_page(request, lang, "accreditation.html", context, principal=principal)


def _cards_pdf(  # noqa: PLR0913 - the operator, the services and the rows
    games: Session,
    sovereign: Session,
    spine: Spine,
    principal: Principal,
    *,
    desk: Desk,
    rows: list[Accreditation],
    filename: str,
) -> Response:
    check_card_access(spine, sovereign, principal)
    printed = [(row.id, row.credential) for row in rows if row.credential]
    if not printed:
        raise NotFoundError("No printed card: print the card first.")
    cards = card_data(spine, games, sovereign, principal, printed=printed, access=desk.access)
    return Response(
        render_cards(cards),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@pages(router, "/accreditation/{code}/card.pdf")
def card_pdf(  # noqa: PLR0913 - the download, who, and the services
    code: str,
    principal: ApplicationReader,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
) -> Response:
    """Download the printed card of one accreditation as PDF (its current serial)."""
    check_desk(principal)
    row = load_accreditation(games, principal, code)
    name = f"accreditation-{row.id}-{row.card_serial}.pdf"
    return _cards_pdf(games, sovereign, spine, principal, desk=desk, rows=[row], filename=name)


@pages(router, "/accreditation-cards.pdf")
def cards_pdf(  # noqa: PLR0913 - the download, who, and the services
    principal: ApplicationReader,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
    numbers: Annotated[str, Query()] = "",
) -> Response:
    """Download the printed cards of several accreditations as one PDF (`numbers=1,2,3`)."""
    check_desk(principal)
    codes = [n for n in numbers.split(",") if n]
    rows = [load_accreditation(games, principal, n) for n in codes]
    name = "accreditation-cards.pdf"
    return _cards_pdf(games, sovereign, spine, principal, desk=desk, rows=rows, filename=name)
