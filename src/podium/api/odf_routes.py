"""ODF messages over HTTP under `/odf/`: the list, and each message as XML, built on demand."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from podium.core.errors import NotFoundError
from podium.diffusion import build_message, feed_context, message_index
from podium.web.deps import GamesSession

__all__ = ["router"]

router = APIRouter(prefix="/odf", tags=["odf"])


@router.get("/")
def list_messages(session: GamesSession) -> JSONResponse:
    """List every message: DocumentType, DocumentCode and its URL."""
    return JSONResponse(
        [
            {"document_type": t, "document_code": c, "url": f"/odf/{t}/{c}"}
            for t, c in message_index(session)
        ]
    )


@router.get("/{document_type}/{document_code}", response_class=Response)
def get_message(session: GamesSession, document_type: str, document_code: str) -> Response:
    """Return one ODF message as XML, by DocumentType and DocumentCode.

    Raises:
        NotFoundError: `odf_message_not_found`.
    """
    found = build_message(session, feed_context(), document_type, document_code)
    if found is None:
        raise NotFoundError(
            f"no {document_type[:20]} message for DocumentCode {document_code[:40]!r}",
            code="odf_message_not_found",
        )
    return Response(found.content, media_type="application/xml")
