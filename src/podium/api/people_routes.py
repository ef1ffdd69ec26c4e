"""JSON API of people registration: one person, a bulk file, a portrait, a search.

Writes need the scope `people:registration:write` (a staff session: any signed-in
operator, bounded by its organisation). An operator of a responsible organisation
manages only its own people, the organising committee's staff everyone's (403
`organisation_mismatch`). Reads of protected fields go through the access policy
(`read_fields`), audited.

    POST /api/people                   one person + application (JSON)      → 201 outcome
    POST /api/people/bulk              CSV (multipart `file` or text/csv) or JSON list → report
    PUT  /api/people/{subject}/photo   portrait (multipart `photo`)          → media type
    GET  /api/people/search?q=NAME     registered people by family name (exact, folded)
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from podium.accreditation import (
    BulkImportRejectedError,
    BulkOptions,
    RegistrationError,
    import_people,
    organisation_limit,
    read_people_csv,
    register_person,
    set_photo,
)
from podium.core.db import Planes
from podium.core.errors import InvalidInputError
from podium.people import MAX_PHOTO_BYTES, search_people
from podium.privacy.operators import Principal
from podium.web.auth import CurrentOperator, SpineDep, require_scope

__all__ = ["MAX_BULK_BYTES", "router"]

router = APIRouter(prefix="/api", tags=["people"])

Registrar = Annotated[Principal, Depends(require_scope("people:registration:write"))]

MAX_BULK_BYTES = 200 * 1024 * 1024
"""Largest bulk file accepted over HTTP (about 1.5 million rows)."""


def _planes(request: Request) -> Planes:
    planes: Planes = request.app.state.planes
    return planes


def _problems(error: RegistrationError) -> JSONResponse:
    problems = [{"field": p.column, "code": p.code, "message": p.message} for p in error.problems]
    body = {"error": error.code, "detail": str(error), "problems": problems}
    return JSONResponse(body, status_code=422)


@router.post("/people", status_code=201, response_model=None)
def post_person(
    body: dict[str, Any], principal: Registrar, request: Request, spine: SpineDep
) -> dict[str, Any] | JSONResponse:
    """Register one person and apply for their accreditation (status `applied`).

    The body holds the fields of `podium.people.RegistrationIn`; `organisation` defaults
    to the operator's. A refusal answers 422 with `problems`: every field at fault with
    its code (`missing`, `bad_date`, `unknown_category`, `quota_exceeded`...).
    """
    try:
        outcome = register_person(_planes(request), spine, principal, body)
    except RegistrationError as error:
        return _problems(error)
    return {
        "subject_id": outcome.subject_id,
        "accreditation_id": outcome.accreditation_id,
        "status": outcome.status,
        "created": outcome.created,
    }


async def _bulk_rows(
    request: Request, file: UploadFile | None
) -> tuple[list[tuple[int, dict[str, Any]]], str]:
    if file is not None:
        data = await file.read(MAX_BULK_BYTES + 1)
        source = file.filename or "upload.csv"
    else:
        data = await request.body()
        source = "request"
    if len(data) > MAX_BULK_BYTES:
        raise InvalidInputError(f"{source}: over {MAX_BULK_BYTES:,} bytes", code="file_too_large")
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            items = json.loads(data)
        except ValueError as error:
            raise InvalidInputError(f"request: not JSON ({error})", code="json_invalid") from error
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            msg = "request: a JSON list of objects is expected"
            raise InvalidInputError(msg, code="json_invalid")
        return [(n, item) for n, item in enumerate(items, start=1)], source
    return list(read_people_csv(data, source)), source


@router.post("/people/bulk", response_model=None)
async def post_people_bulk(  # noqa: PLR0913 - the upload, its options, who, and the services
    principal: Registrar,
    request: Request,
    spine: SpineDep,
    organisation: Annotated[str | None, Query(max_length=12)] = None,
    *,
    strict: bool = False,
    file: Annotated[UploadFile | None, File()] = None,
) -> dict[str, Any] | JSONResponse:
    """Register many people: a CSV file (multipart `file`, or a `text/csv` body) or a JSON list.

    Answers the report: counts, and every rejected row with line (JSON: position from 1),
    column and code. `strict=true`: one rejected row and nothing is written (422 with the
    report).
    """
    rows, source = await _bulk_rows(request, file)
    options = BulkOptions(
        organisation or principal.organisation or "", strict=strict, source=source
    )
    try:
        report = import_people(_planes(request), spine, principal, rows, options)
    except BulkImportRejectedError as refused:
        body = {"error": refused.code, "detail": str(refused), "report": refused.report.to_dict()}
        return JSONResponse(body, status_code=422)
    return report.to_dict()


@router.put("/people/{subject}/photo")
async def put_person_photo(
    subject: str,
    principal: Registrar,
    request: Request,
    spine: SpineDep,
    photo: Annotated[UploadFile, File()],
) -> dict[str, str]:
    """Store a registered person's portrait: checked (JPEG/PNG, size, dimensions), sealed.

    Errors: 404 `person_not_registered`, 403 `organisation_mismatch`, 422 `photo_format`,
    `photo_too_large`, `photo_dimensions`, `photo_unreadable`.
    """
    data = await photo.read(MAX_PHOTO_BYTES + 1)
    media_type = set_photo(_planes(request), spine, principal, subject, data)
    return {"subject_id": subject, "media_type": media_type}


@router.get("/people/search")
def get_people_search(
    principal: CurrentOperator,
    request: Request,
    spine: SpineDep,
    q: Annotated[str, Query(min_length=1, max_length=80)],
) -> list[dict[str, Any]]:
    """Find registered people by family name (accents and case folded, exact match).

    Operators only; an organisation's operator sees only its own people. Each protected
    field comes as the policy lets this operator see it (value, effect, reason), audited.
    """
    planes = _planes(request)
    with planes.games_session() as games:
        limit = organisation_limit(games, principal)
    with planes.sovereign_session() as session:
        found = search_people(session, spine, principal, q, organisation=limit)
    return [
        {
            "subject_id": p.subject_id,
            "organisation": p.organisation,
            "function": p.function,
            "category": p.category,
            "gender": p.gender,
            "nationality": p.nationality,
            "has_photo": p.has_photo,
            "fields": {
                name: {"value": v.value, "effect": v.effect.value, "reason": v.reason}
                for name, v in p.fields.items()
            },
        }
        for p in found
    ]
