"""The organisation portal: a responsible organisation's people, quotas and registrations.

`/staff/portal` (French: `/staff/fr/portal`) shows the operator's own organisation only
(a NOC's operator sees its delegation; the organising committee's staff may choose any
organisation with `?organisation=`): its people with their accreditation statuses (names
as the policy allows, audited), the quota used per category, the form registering one
person (every field's error beside it, and a summary), the CSV upload of many people with
the report of the rejected rows (line, column, reason), and a portrait upload. Writes are
the accreditation domain's `register_person`, `import_people` and `set_photo`; another
organisation's person is refused (403).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.accreditation import (
    Accreditation,
    BulkOptions,
    Desk,
    Organisation,
    OrganisationQuota,
    RegistrationError,
    held_count,
    import_people,
    organisation_limit,
    read_holders,
    read_people_csv,
    register_person,
    set_photo,
)
from podium.core.errors import InvalidInputError, PermissionDeniedError
from podium.people import REGISTRATION_FIELDS
from podium.privacy.operators import Principal
from podium.privacy.spine import Spine
from podium.web.accreditation_desk import load_accreditation
from podium.web.accreditation_support import (
    AccreditationRoute,
    DeskDep,
    PageLang,
    RegistrationWriter,
    acc_page,
    pages,
    see_other,
)
from podium.web.auth import SovereignSession, SpineDep
from podium.web.deps import GamesSession
from podium.web.i18n import Lang
from podium.web.staff_support import FormOperator

__all__ = ["PEOPLE_LIMIT", "router"]

router = APIRouter(route_class=AccreditationRoute, include_in_schema=False)

PEOPLE_LIMIT = 100
"""Most people the portal lists at once (each name read is decided and audited)."""
MAX_UPLOAD = 20 * 1024 * 1024
"""Largest CSV file the portal accepts (a bigger import goes through the API or CLI)."""
_FORM_FIELDS = tuple(f for f in REGISTRATION_FIELDS if f != "organisation")


def portal_organisation(games: Session, principal: Principal, asked: str) -> Organisation:
    """Return the organisation whose portal this operator sees.

    Args:
        games: a games-plane session.
        principal: the operator.
        asked: the organisation asked for (`?organisation=`), or "" for the operator's own.

    Raises:
        PermissionDeniedError: `organisation_missing` (the operator's account names no
            responsible organisation) or `organisation_forbidden` (another one's portal).
    """
    limit = organisation_limit(games, principal)
    code = asked if asked and limit is None else (principal.organisation or "")
    if limit is not None and asked and asked != limit:
        raise PermissionDeniedError(
            f"You act for {limit} only, not for {asked}.", code="organisation_forbidden"
        )
    found = games.get(Organisation, code) if code else None
    if found is None:
        raise PermissionDeniedError(
            "Your account is not attached to a responsible organisation.",
            code="organisation_missing",
        )
    return found


def _quotas(games: Session, desk: Desk, code: str) -> list[dict[str, Any]]:
    query = select(OrganisationQuota.category, OrganisationQuota.quota).where(
        OrganisationQuota.organisation_code == code
    )
    quotas: dict[str, int] = dict(games.execute(query).all())
    rows = []
    for category in desk.access.category:
        held = held_count(games, code, category.code)
        quota = quotas.get(category.code)
        if quota is not None or held:
            rows.append({"category": category, "held": held, "quota": quota})
    return rows


def _people(
    games: Session, sovereign: Session, spine: Spine, principal: Principal, code: str
) -> tuple[list[dict[str, Any]], int]:
    query = select(Accreditation).where(Accreditation.organisation_code == code)
    rows = list(games.scalars(query.order_by(Accreditation.id).limit(PEOPLE_LIMIT + 1)))
    shown = rows[:PEOPLE_LIMIT]
    holders = read_holders(spine, sovereign, principal, [row.subject_id for row in shown])
    people = [{"row": row, "holder": holders[row.subject_id]} for row in shown]
    return people, len(rows)


def _portal(
    request: Request,
    lang: Lang,
    principal: Principal,
    services: tuple[Session, Session, Spine, Desk],
    organisation: Organisation,
    **forms: Any,
) -> Response:
    games, sovereign, spine, desk = services
    people, count = _people(games, sovereign, spine, principal, organisation.code)
    context = {
        "nav": "portal",
        "organisation": organisation,
        "organisation_query": ""
        if organisation.code == principal.organisation
        else organisation.code,
        "quotas": _quotas(games, desk, organisation.code),
        "people": people,
        "more_people": count > PEOPLE_LIMIT,
        "categories": [(c.code, c.en, c.fr) for c in desk.access.category],
        "form": forms.get("form", {}),
        "errors": forms.get("errors", {}),
        "file_error": forms.get("file_error"),
        "photo_error": forms.get("photo_error"),
        "report": forms.get("report"),
        "registered": request.query_params.get("registered"),
        "photo_done": request.query_params.get("photo"),
    }
    status_code = forms.get("status_code", 200)
    return acc_page(
        request, lang, "portal.html", context, principal=principal, status_code=status_code
    )


@pages(router, "/portal")
def portal(  # noqa: PLR0913 - the page, who, and the services
    request: Request,
    lang: PageLang,
    principal: RegistrationWriter,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
    organisation: str = "",
) -> Response:
    """Show the organisation's people, quota use and the registration forms."""
    found = portal_organisation(games, principal, organisation)
    return _portal(request, lang, principal, (games, sovereign, spine, desk), found)


def _form_values(form: dict[str, str], organisation: str) -> dict[str, Any]:
    values: dict[str, Any] = {k: v.strip() for k, v in form.items() if v.strip()}
    values["organisation"] = organisation
    return values


@pages(router, "/portal/register", method="POST")
async def register(  # noqa: PLR0913 - the form, who, and the services
    request: Request,
    lang: PageLang,
    principal: FormOperator,
    _writer: RegistrationWriter,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
    photo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Register one person; a refused field is shown beside it, with a summary (422)."""
    submitted = await request.form()
    asked = str(submitted.get("organisation", ""))
    found = portal_organisation(games, principal, asked)
    form = {name: str(submitted.get(name, "")) for name in _FORM_FIELDS}
    data = await photo.read(MAX_UPLOAD) if photo is not None and photo.filename else None
    try:
        outcome = register_person(
            request.app.state.planes, spine, principal, _form_values(form, found.code), photo=data
        )
    except RegistrationError as error:
        errors = {p.column: {"code": p.code, "message": p.message} for p in error.problems}
        return _portal(
            request, lang, principal, (games, sovereign, spine, desk), found,
            form=form, errors=errors, status_code=422,
        )  # fmt: skip
    suffix = f"&organisation={found.code}" if asked else ""
    return see_other(lang, f"/portal?registered={outcome.accreditation_id}{suffix}")


@pages(router, "/portal/import", method="POST")
async def import_csv(  # noqa: PLR0913 - the form, who, and the services
    request: Request,
    lang: PageLang,
    principal: FormOperator,
    _writer: RegistrationWriter,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
    people: Annotated[UploadFile | None, File()] = None,
    organisation: Annotated[str, Form()] = "",
) -> Response:
    """Register the people of a CSV file; show the report with every rejected row.

    The report is the answer to the post itself (there is nothing to redirect to: it is
    not stored); posting the same file again is safe, as the import is idempotent.
    """
    found = portal_organisation(games, principal, organisation)
    services = (games, sovereign, spine, desk)
    if people is None or not people.filename:
        return _portal(
            request, lang, principal, services, found, file_error="file_missing", status_code=422
        )
    data = await people.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        return _portal(
            request, lang, principal, services, found, file_error="file_too_large", status_code=422
        )
    try:
        rows = read_people_csv(data, people.filename)
    except InvalidInputError as error:
        return _portal(
            request, lang, principal, services, found, file_error=error.code, status_code=422
        )
    options = BulkOptions(found.code, source=people.filename)
    report = import_people(request.app.state.planes, spine, principal, rows, options)
    return _portal(request, lang, principal, services, found, report=report)


@pages(router, "/portal/photo", method="POST")
async def upload_photo(  # noqa: PLR0913 - the form, who, and the services
    request: Request,
    lang: PageLang,
    principal: FormOperator,
    _writer: RegistrationWriter,
    *,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
    desk: DeskDep,
    number: Annotated[str, Form()] = "",
    portrait: Annotated[UploadFile | None, File()] = None,
    organisation: Annotated[str, Form()] = "",
) -> Response:
    """Store a portrait for one of the organisation's people (checked, sealed, audited)."""
    found = portal_organisation(games, principal, organisation)
    row = load_accreditation(games, principal, number.strip() or "-")
    if row.organisation_code != found.code:
        raise PermissionDeniedError(
            f"Accreditation {row.id} belongs to another organisation.",
            code="organisation_forbidden",
        )
    services = (games, sovereign, spine, desk)
    if portrait is None or not portrait.filename:
        return _portal(
            request, lang, principal, services, found, photo_error="file_missing", status_code=422
        )
    data = await portrait.read(MAX_UPLOAD)
    try:
        set_photo(request.app.state.planes, spine, principal, row.subject_id, data)
    except InvalidInputError as error:
        return _portal(
            request, lang, principal, services, found, photo_error=error.code, status_code=422
        )
    suffix = f"&organisation={found.code}" if organisation else ""
    return see_other(lang, f"/portal?photo={row.id}{suffix}")
