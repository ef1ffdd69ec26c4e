"""The feed administrators' API: HTTP push consumers, their queues and re-sends.

`/api/feed/consumers` lists (scope `diffusion:consumer:read`) and registers
(`diffusion:consumer:write`) consumers; `/api/feed/consumers/{name}` shows one's queue,
changes it or removes it; `/api/feed/consumers/{name}/resend` queues archived messages
again (`diffusion:feed:resend`). A consumer's API key is write-only: responses say only
whether one is set. Each write is audited under the operator's account id, in the
sovereign plane's audit chain (`diffusion.consumer.create`, ...; no data subject).

Rule source: ODF Foundation Principles §8 (HTTP push, re-send from the archive).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from podium.core.db import Planes
from podium.core.errors import InvalidInputError
from podium.diffusion.consumers import (
    ArchiveSearch,
    ConsumerChange,
    ConsumerSpec,
    QueueStatus,
    list_status,
    queue_status,
    register_consumer,
    remove_consumer,
    request_archive_resend,
    request_resend,
    update_consumer,
)
from podium.privacy.access import record_write
from podium.privacy.operators import Principal
from podium.privacy.spine import Spine
from podium.web.auth import SovereignSession, SpineDep, require_scope
from podium.web.deps import GamesSession, now_of

__all__ = ["ConsumerCreate", "ConsumerPublic", "ConsumerUpdate", "ResendRequest", "router"]

router = APIRouter(prefix="/api/feed", tags=["feed consumers"])

ConsumerReader = Annotated[Principal, Depends(require_scope("diffusion:consumer:read"))]
ConsumerWriter = Annotated[Principal, Depends(require_scope("diffusion:consumer:write"))]
Resender = Annotated[Principal, Depends(require_scope("diffusion:feed:resend"))]


class ConsumerCreate(BaseModel):
    """A consumer to register (formats: `podium.diffusion.consumers.ConsumerSpec`)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    endpoint: str
    api_key: str
    organisation: str = ""
    disciplines: list[str] = []
    document_types: list[str] = []
    start_after: int | None = None


class ConsumerUpdate(BaseModel):
    """Fields to change; an absent or null field keeps its value."""

    model_config = ConfigDict(extra="forbid")

    endpoint: str | None = None
    api_key: str | None = None
    organisation: str | None = None
    disciplines: list[str] | None = None
    document_types: list[str] | None = None
    enabled: bool | None = None


class ConsumerPublic(BaseModel):
    """A consumer and its queue as administrators see it: never the key, only whether set."""

    name: str
    organisation: str
    endpoint: str
    enabled: bool
    disciplines: list[str]
    document_types: list[str]
    api_key_set: bool
    cursor: int
    newest_seq: int
    pending: int
    resends: int
    in_flight: int | None
    attempts: int
    last_error: str | None
    last_attempt_at: datetime | None


class ResendRequest(BaseModel):
    """Either `seqs`, or the archive's search fields (at least one of them), not both."""

    model_config = ConfigDict(extra="forbid")

    seqs: list[int] | None = None
    logical_date: date | None = None
    document_code: str | None = None
    document_type: str | None = None
    version: int | None = None
    discipline: str | None = None


class ResendQueued(BaseModel):
    """What a re-send request queued: the sequence numbers, ascending."""

    consumer: str
    queued: list[int]


def _public(status: QueueStatus) -> ConsumerPublic:
    return ConsumerPublic(
        name=status.name,
        organisation=status.organisation,
        endpoint=status.endpoint,
        enabled=status.enabled,
        disciplines=list(status.disciplines),
        document_types=list(status.document_types),
        api_key_set=status.api_key_set,
        cursor=status.cursor,
        newest_seq=status.newest_seq,
        pending=status.pending,
        resends=status.resends,
        in_flight=status.in_flight,
        attempts=status.attempts,
        last_error=status.last_error,
        last_attempt_at=status.last_attempt_at,
    )


@contextmanager
def _audited_write(  # noqa: PLR0913 - the write's session and what the audit record says
    request: Request,
    sovereign: Session,
    spine: Spine,
    principal: Principal,
    *,
    action: str,
    fields: tuple[str, ...],
    consumer: str,
) -> Iterator[Session]:
    """Yield a games-plane session; on success, audit the write, then commit it.

    The audit record (no data subject; `reason` names the consumer) joins the request's
    sovereign transaction, committed when the request ends; a refused write raises
    before it is appended, so neither is kept.
    """
    planes: Planes = request.app.state.planes
    with planes.games_session() as games:
        yield games
        record_write(
            spine,
            sovereign,
            operator=principal.operator_id,
            action=action,
            subject=None,
            fields=fields,
            purpose=principal.purpose,
            reason=f"consumer:{consumer}",
        )
        sovereign.flush()


@router.get("/consumers")
def get_consumers(principal: ConsumerReader, games: GamesSession) -> list[ConsumerPublic]:
    """List the HTTP push consumers with their queues (scope `diffusion:consumer:read`)."""
    del principal
    return [_public(status) for status in list_status(games)]


@router.post("/consumers", status_code=201)
def post_consumer(
    body: ConsumerCreate,
    principal: ConsumerWriter,
    request: Request,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> ConsumerPublic:
    """Register a consumer (`diffusion:consumer:write`); codes as `register_consumer`."""
    spec = ConsumerSpec(
        name=body.name,
        endpoint=body.endpoint,
        api_key=body.api_key,
        organisation=body.organisation,
        disciplines=tuple(body.disciplines),
        document_types=tuple(body.document_types),
        start_after=body.start_after,
    )
    fields = ("name", "endpoint", "api_key", "organisation", "disciplines", "document_types")
    with _audited_write(
        request,
        sovereign,
        spine,
        principal,
        action="diffusion.consumer.create",
        fields=fields,
        consumer=spec.name,
    ) as games:
        register_consumer(games, spec)
        return _public(queue_status(games, spec.name))


@router.get("/consumers/{name}")
def get_consumer_status(
    name: str, principal: ConsumerReader, games: GamesSession
) -> ConsumerPublic:
    """Return one consumer's settings and queue (`diffusion:consumer:read`)."""
    del principal
    return _public(queue_status(games, name))


@router.patch("/consumers/{name}")
def patch_consumer(  # noqa: PLR0913 - the change, the operator and the services
    name: str,
    body: ConsumerUpdate,
    *,
    principal: ConsumerWriter,
    request: Request,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> ConsumerPublic:
    """Enable or disable a consumer, or change its filters, endpoint or key."""
    change = ConsumerChange(
        endpoint=body.endpoint,
        api_key=body.api_key,
        organisation=body.organisation,
        disciplines=None if body.disciplines is None else tuple(body.disciplines),
        document_types=None if body.document_types is None else tuple(body.document_types),
        enabled=body.enabled,
    )
    with _audited_write(
        request,
        sovereign,
        spine,
        principal,
        action="diffusion.consumer.update",
        fields=change.changed(),
        consumer=name,
    ) as games:
        update_consumer(games, name, change)
        return _public(queue_status(games, name))


@router.delete("/consumers/{name}", status_code=204)
def delete_consumer(
    name: str,
    principal: ConsumerWriter,
    request: Request,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> Response:
    """Remove a consumer and its pending re-sends (the feed log is untouched)."""
    with _audited_write(
        request,
        sovereign,
        spine,
        principal,
        action="diffusion.consumer.remove",
        fields=("name",),
        consumer=name,
    ) as games:
        remove_consumer(games, name)
    return Response(status_code=204)


@router.post("/consumers/{name}/resend", status_code=202)
def post_resend(  # noqa: PLR0913 - the request, the operator and the services
    name: str,
    body: ResendRequest,
    *,
    principal: Resender,
    request: Request,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> ResendQueued:
    """Queue archived messages to send again, by `seqs` or by archive search.

    Raises:
        InvalidInputError: `resend_ambiguous` when both `seqs` and search fields are
            given; the codes of `request_resend` and `request_archive_resend`.
    """
    search = ArchiveSearch(
        logical_date=body.logical_date,
        document_code=body.document_code,
        document_type=body.document_type,
        version=body.version,
        discipline=body.discipline,
    )
    searching = any(value is not None for value in body.model_dump(exclude={"seqs"}).values())
    if body.seqs is not None and searching:
        message = "give either seqs or the archive's search fields, not both"
        raise InvalidInputError(f"body: {message}", code="resend_ambiguous")
    with _audited_write(
        request,
        sovereign,
        spine,
        principal,
        action="diffusion.feed.resend",
        fields=("seqs",),
        consumer=name,
    ) as games:
        now = now_of(request)
        by = principal.operator_id
        if body.seqs is not None:
            queued = request_resend(games, name, body.seqs, by, now)
        else:
            queued = request_archive_resend(games, name, search, by, now)
    return ResendQueued(consumer=name, queued=queued)
