"""JSON API of the accreditation domain: the desk's steps, vetting, gates online and offline.

    POST /api/zones/check                          online zone decision (zone:check)
    GET  /api/accreditation/keys                   the issuer's public key set (zone:check)
    GET  /api/accreditation/revocations?since=N    signed delta since N; 0: full (zone:check)
    POST /api/accreditation/revocations/publish    publish the next list (application:write)
    GET  /api/accreditation/devices/{code}/package a venue's device package (zone:check)
    GET  /api/accreditation/applications/{code}    one accreditation, its history (read)
    POST /api/accreditation/applications/{code}/steps     a step (application:write)

`{code}` is the accreditation number (the path parameter name the sovereignty test fills).
    POST /api/accreditation/vetting                the authority's answers (vetting:write)

Scopes are `accreditation:<resource>:<action>`.

A responsible organisation's operator reads and acts only on its own people
(`organisation_forbidden`, 403). Every step is audited by the service
(`accreditation.application.<step>`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from sqlalchemy import select

from podium.accreditation import (
    Accreditation,
    AccreditationNotFoundError,
    AccreditationStep,
    AppealOutcome,
    Desk,
    ManualVetting,
    Opinion,
    OrganisationScopeError,
    appeal,
    check_zone,
    device_package,
    organisation_limit,
    print_cards,
    publish_revocations,
    record_vetting,
    refuse,
    reinstate,
    revocation_delta,
    revoke,
    submit,
    suspend,
    validate,
)
from podium.core.errors import InvalidInputError
from podium.privacy.operators import Principal
from podium.web.accreditation_support import get_desk
from podium.web.auth import require_scope
from podium.web.deps import GamesSession

__all__ = [
    "AccreditationPublic",
    "StepIn",
    "VettingIn",
    "ZoneCheckIn",
    "ZoneCheckOut",
    "router",
]

router = APIRouter(prefix="/api", tags=["accreditation"])

ZoneChecker = Annotated[Principal, Depends(require_scope("accreditation:zone:check"))]
Reader = Annotated[Principal, Depends(require_scope("accreditation:application:read"))]
Writer = Annotated[Principal, Depends(require_scope("accreditation:application:write"))]
Vetter = Annotated[Principal, Depends(require_scope("accreditation:vetting:write"))]
_JSON = "application/json"


DeskDep = Annotated[Desk, Depends(get_desk)]
"""The node's accreditation desk, shared with the pages (`get_desk`: the application's clock)."""


class ZoneCheckIn(BaseModel):
    """A scan to decide online."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=2000, description="the QR code's Base45 text")
    venue: str = Field(min_length=1, max_length=16)
    zone: str = Field(min_length=1, max_length=16)
    at: AwareDatetime | None = Field(default=None, description="scan time; default now")


class ZoneCheckOut(BaseModel):
    """The decision: admitted or not, the stable reason code and the messages."""

    admitted: bool
    reason: str
    message_en: str
    message_fr: str


@router.post("/zones/check")
def post_zone_check(
    body: ZoneCheckIn, principal: ZoneChecker, games: GamesSession, desk: DeskDep
) -> ZoneCheckOut:
    """Decide a scan online from the live state (`podium.gates.decide`); codes as gates."""
    del principal
    at = body.at or desk.clock()
    answer = check_zone(
        games,
        body.code,
        body.venue,
        body.zone,
        at,
        keys=desk.keyring.public_key_set(),
        access=desk.access,
    )
    return ZoneCheckOut(
        admitted=answer.admitted,
        reason=answer.reason,
        message_en=answer.message_en,
        message_fr=answer.message_fr,
    )


@router.get("/accreditation/keys")
def get_keys(principal: ZoneChecker, desk: DeskDep) -> dict[str, object]:
    """Return the issuer's public key set (what devices verify cards with)."""
    del principal
    return desk.keyring.public_key_set().to_json()


@router.get("/accreditation/revocations")
def get_revocations(principal: ZoneChecker, desk: DeskDep, since: int = 0) -> Response:
    """Return the signed delta since list `since` (0: the full list) to the latest list."""
    del principal
    return Response(revocation_delta(desk, since), media_type=_JSON)


@router.post("/accreditation/revocations/publish")
def post_publish(principal: Writer, desk: DeskDep) -> dict[str, int]:
    """Publish the next signed revocation list; returns its serial and new entries."""
    del principal
    published = publish_revocations(desk)
    return {"serial": published.serial, "added": published.added}


@router.get("/accreditation/devices/{code}/package")
def get_device_package(code: str, principal: ZoneChecker, desk: DeskDep) -> Response:
    """Return the signed device package of venue `code` (`zone_query_invalid` if unknown)."""
    del principal
    return Response(device_package(desk, code), media_type=_JSON)


class StepPublic(BaseModel):
    """One step of an accreditation's history."""

    at: datetime
    from_status: str | None
    to_status: str
    reason: str | None


class AccreditationPublic(BaseModel):
    """An accreditation as the API shows it (no personal data: pseudonymous ids only)."""

    number: int
    subject_id: str
    organisation: str
    category: str
    function: str | None
    status: str
    reason: str | None
    participant_code: str | None
    vetting_due_at: datetime | None
    card_serial: int
    credential: str | None
    history: list[StepPublic]


def _read(games: GamesSession, principal: Principal, number: int) -> AccreditationPublic:
    row = games.get(Accreditation, number)
    if row is None:
        raise AccreditationNotFoundError(f"no accreditation has the number {number}")
    limit = organisation_limit(games, principal)
    if limit is not None and row.organisation_code != limit:
        raise OrganisationScopeError(
            f"accreditation {number} belongs to organisation {row.organisation_code}; "
            f"this operator acts only for {limit or 'no organisation'}"
        )
    steps = games.scalars(
        select(AccreditationStep)
        .where(AccreditationStep.accreditation_id == number)
        .order_by(AccreditationStep.id)
    )
    return AccreditationPublic(
        number=row.id,
        subject_id=row.subject_id,
        organisation=row.organisation_code,
        category=row.category,
        function=row.function,
        status=row.status,
        reason=row.reason,
        participant_code=row.participant_code,
        vetting_due_at=row.vetting_due_at,
        card_serial=row.card_serial,
        credential=row.credential,
        history=[
            StepPublic(at=s.at, from_status=s.from_status, to_status=s.to_status, reason=s.reason)
            for s in steps
        ],
    )


def _number(code: str) -> int:
    """Return the accreditation number of a path's `{code}` (digits only)."""
    if not code.isdigit() or len(code) > 10:
        raise InvalidInputError(
            f"accreditation number {code!r} is not a number", code="accreditation_number_invalid"
        )
    return int(code)


@router.get("/accreditation/applications/{code}")
def get_application(code: str, principal: Reader, games: GamesSession) -> AccreditationPublic:
    """Return one accreditation (number `code`) and its history (application:read)."""
    return _read(games, principal, _number(code))


class StepIn(BaseModel):
    """A lifecycle step to take on one accreditation."""

    model_config = ConfigDict(extra="forbid")

    action: Literal[
        "submit", "refuse", "print", "validate", "suspend", "reinstate", "revoke", "appeal"
    ]
    reason: str | None = Field(default=None, max_length=200)
    outcome: AppealOutcome | None = Field(default=None, description="for an appeal")


def _take(desk: Desk, principal: Principal, number: int, body: StepIn) -> None:
    reason = body.reason or ""
    match body.action:
        case "submit":
            submit(desk, principal, [number])
        case "refuse":
            refuse(desk, principal, [number], reason)
        case "print":
            print_cards(desk, principal, [number], body.reason)
        case "validate":
            validate(desk, principal, [number])
        case "suspend":
            suspend(desk, principal, [number], reason)
        case "reinstate":
            reinstate(desk, principal, [number], body.reason)
        case "revoke":
            revoke(desk, principal, [number], reason)
        case "appeal":
            appeal(desk, principal, number, body.outcome or AppealOutcome.DISMISS, reason)


@router.post("/accreditation/applications/{code}/steps")
def post_step(
    code: str, body: StepIn, principal: Writer, desk: DeskDep, games: GamesSession
) -> AccreditationPublic:
    """Take a step on accreditation number `code`; refusals carry their code."""
    number = _number(code)
    _take(desk, principal, number, body)
    games.expire_all()
    return _read(games, principal, number)


class VettingAnswerIn(BaseModel):
    """One answer of the vetting authority."""

    model_config = ConfigDict(extra="forbid")

    number: int
    opinion: Opinion
    note: str | None = Field(default=None, max_length=500)


class VettingIn(BaseModel):
    """Answers of the vetting authority, recorded together."""

    model_config = ConfigDict(extra="forbid")

    answers: list[VettingAnswerIn] = Field(min_length=1, max_length=20_000)


@router.post("/accreditation/vetting")
def post_vetting(body: VettingIn, principal: Vetter, desk: DeskDep) -> dict[str, int]:
    """Record the vetting authority's answers (`accreditation:vetting:write`)."""
    vetting = ManualVetting()
    for answer in body.answers:
        vetting.decide(answer.number, answer.opinion, answer.note)
    return record_vetting(desk, principal, vetting)
