"""JSON API of the sport entries: published lists, start lists and ODF, and the NOCs' writes.

Public (published Games data, like DT_PARTIC on the feed):
`GET /api/events/{code}/entries` (entered athletes and teams of an event),
`GET /api/events/{code}/start-list`, `GET /odf/entries/{document_type}/{code}`
(DT_PARTIC and DT_PARTIC_TEAMS per discipline, DT_ENTRIES per event).

Operators only: `GET /api/entries` (every status, scope `entries:entry:read`), and
`POST /api/entries`, `/api/entries/withdraw`, `/api/entries/replace` (scope
`entries:entry:write`). A NOC's operator acts only for its NOC (403
`organisation_mismatch`); refusals are 422 with the rule's code (`quota_event`...).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from podium.core.errors import InvalidInputError
from podium.diffusion import feed_context
from podium.entries import (
    EntryContext,
    EntryCreate,
    EntryFilter,
    EntryPublic,
    EntryRequest,
    SovereignBirthDates,
    StartList,
    enter,
    entries,
    entries_odf,
    load_rules,
    replace,
    start_list,
    withdraw,
)
from podium.privacy.operators import Principal
from podium.privacy.spine import Spine
from podium.web.auth import SovereignSession, SpineDep, require_scope
from podium.web.deps import GamesSession
from podium.web.entries_pages import entries_clock

__all__ = ["EntryChange", "router"]

router = APIRouter(tags=["entries"])

EntriesReader = Annotated[Principal, Depends(require_scope("entries:entry:read"))]
EntriesWriter = Annotated[Principal, Depends(require_scope("entries:entry:write"))]


class EntryChange(BaseModel):
    """A withdrawal or a replacement (API body): the entry, and for a replacement the athlete."""

    entry_id: int
    reason: str = ""
    participant_code: str | None = None


@router.get("/api/events/{code}/entries")
def get_event_entries(
    code: str, games: GamesSession, noc: Annotated[str | None, Query(max_length=3)] = None
) -> list[EntryPublic]:
    """List the entered athletes and teams of an event (published data), optionally of one NOC.

    Raises:
        EntryRefusedError: `unknown_event` (422).
    """
    return entries(games, EntryFilter(code, noc))


@router.get("/api/events/{code}/start-list")
def get_start_list(code: str, games: GamesSession) -> StartList:
    """Return the start list of the event's first phase, drawn from its entries."""
    return start_list(games, code)


@router.get("/odf/entries/{document_type}/{code}", response_class=Response)
def get_entries_odf(document_type: str, code: str, games: GamesSession) -> Response:
    """Return DT_PARTIC / DT_PARTIC_TEAMS (code: discipline) or DT_ENTRIES (code: event) as XML.

    Raises:
        InvalidInputError: `odf_document_type_unknown` (422).
        NotFoundError: `entries_not_found` (404).
    """
    xml = entries_odf(games, feed_context(), document_type.upper(), code.upper())
    return Response(xml, media_type="application/xml")


@router.get("/api/entries")
def get_entries(
    principal: EntriesReader,
    games: GamesSession,
    event: Annotated[str | None, Query(max_length=34)] = None,
    noc: Annotated[str | None, Query(max_length=3)] = None,
) -> list[EntryPublic]:
    """List entries of every status (entered, withdrawn, replaced), by event and/or NOC."""
    del principal
    return entries(games, EntryFilter(event, noc, all_statuses=True))


def _context(
    request: Request,
    spine: Spine,
    games: GamesSession,
    sovereign: SovereignSession,
    principal: Principal,
) -> EntryContext:
    """Return the context of a write: the age rule reads birth dates as the policy allows."""
    births = SovereignBirthDates(spine, games, sovereign, principal)
    return EntryContext(load_rules(), entries_clock(request), births)


@router.post("/api/entries", status_code=201)
def post_entry(  # noqa: PLR0913 - the body, who and the services
    request: Request,
    *,
    body: EntryCreate,
    principal: EntriesWriter,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> EntryPublic:
    """Enter an athlete or a team.

    Raises:
        EntryRefusedError: 422 with the rule's code.
        PermissionDeniedError: `organisation_mismatch` (403).
    """
    wanted = EntryRequest(body.noc.upper(), body.event, body.participant_code, body.team_code)
    entry = enter(games, _context(request, spine, games, sovereign, principal), principal, wanted)
    return EntryPublic.model_validate(entry)


@router.post("/api/entries/withdraw")
def post_withdrawal(
    request: Request, body: EntryChange, principal: EntriesWriter, games: GamesSession
) -> EntryPublic:
    """Withdraw an entry (`entry_not_found` 404, `entry_not_entered` 422)."""
    entry = withdraw(
        games,
        EntryContext(load_rules(), entries_clock(request)),
        principal,
        body.entry_id,
        body.reason,
    )
    return EntryPublic.model_validate(entry)


@router.post("/api/entries/replace")
def post_replacement(  # noqa: PLR0913 - the body, who and the services
    request: Request,
    *,
    body: EntryChange,
    principal: EntriesWriter,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> EntryPublic:
    """Replace an entered athlete (after the deadline: a late replacement, with a reason).

    Raises:
        InvalidInputError: `replacement_athlete_required`, `replacement_reason_required`.
        EntryRefusedError: `deadline_passed` and the rules' codes (422).
    """
    if not body.participant_code:
        msg = "a replacement names the incoming athlete (participant_code)"
        raise InvalidInputError(msg, code="replacement_athlete_required")
    entry = replace(
        games,
        _context(request, spine, games, sovereign, principal),
        principal,
        body.entry_id,
        participant_code=body.participant_code,
        reason=body.reason,
    )
    return EntryPublic.model_validate(entry)
