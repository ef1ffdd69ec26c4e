"""ODF messages over HTTP under `/odf/`: the list, and each message as XML."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from podium.core.errors import NotFoundError
from podium.diffusion import OdfMessageFile, feed_context, iter_messages
from podium.web.deps import GamesSession

__all__ = ["router"]

router = APIRouter(prefix="/odf", tags=["odf"])


def _messages(request: Request, session: GamesSession) -> dict[tuple[str, str], OdfMessageFile]:
    # Built once per node: the imported Games do not change until the next import.
    cached: dict[tuple[str, str], OdfMessageFile] | None = getattr(request.app.state, "odf", None)
    if cached is None:
        cached = {
            (m.document_type, m.document_code): m for m in iter_messages(session, feed_context())
        }
        request.app.state.odf = cached
    return cached


@router.get("/")
def list_messages(request: Request, session: GamesSession) -> JSONResponse:
    """List every message: DocumentType, DocumentCode and its URL."""
    return JSONResponse(
        [
            {"document_type": t, "document_code": c, "url": f"/odf/{t}/{c}"}
            for (t, c) in _messages(request, session)
        ]
    )


@router.get("/{document_type}/{document_code}", response_class=Response)
def get_message(
    request: Request, session: GamesSession, document_type: str, document_code: str
) -> Response:
    """Return one ODF message as XML, by DocumentType and DocumentCode.

    Raises:
        NotFoundError: `odf_message_not_found`.
    """
    found = _messages(request, session).get((document_type, document_code))
    if found is None:
        raise NotFoundError(
            f"no {document_type} for {document_code!r}", code="odf_message_not_found"
        )
    return Response(found.content, media_type="application/xml")
