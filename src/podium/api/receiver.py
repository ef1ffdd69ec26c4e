"""A reference HTTP push consumer: what a broadcaster's endpoint does with Podium's feed.

`podium receive` runs it. It accepts the feed as ODF Foundation Principles §8 delivers
it (one POST per message, gzipped XML, `X-API-KEY`), refuses a wrong key with 401 and a
body that is not a gzipped ODF message with 400, writes each message to a file named as
§8.4 names it, and answers 200 only once the file is on disk, so an acknowledged message
is never lost. A message received twice (same file name) is kept once. Engineers use it
to try the feed, and the demo uses it to show a consumer receiving every message.
"""

from __future__ import annotations

import gzip
import hmac
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from podium.odf import OdfReadError, message_filename, parse_message

__all__ = ["receiver_app"]


def receiver_app(out_dir: Path, api_key: str) -> FastAPI:
    """Return the receiver: POST any path with a gzipped ODF message.

    Args:
        out_dir: where messages are written (created when missing).
        api_key: the key the feed must send as `X-API-KEY`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    app = FastAPI(title="Podium reference push consumer")
    received = {"messages": 0, "duplicates": 0}

    @app.post("/{path:path}", response_model=None)
    async def receive(path: str, request: Request) -> PlainTextResponse | JSONResponse:
        """Store one pushed message; 200 once it is on disk."""
        key = request.headers.get("x-api-key", "")
        if not hmac.compare_digest(key.encode(), api_key.encode()):
            return JSONResponse({"error": "bad_api_key"}, status_code=401)
        body = await request.body()
        try:
            xml = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
            message = parse_message(xml, name=f"POST /{path}")
        except (OSError, EOFError, OdfReadError) as error:
            return JSONResponse({"error": "bad_message", "detail": str(error)}, status_code=400)
        target = out_dir / message_filename(message.header, xml)
        if target.exists():
            received["duplicates"] += 1
        else:
            partial = target.with_suffix(".part")
            partial.write_bytes(xml)
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            partial.replace(target)
            received["messages"] += 1
        return PlainTextResponse("OK")

    @app.get("/")
    def status() -> dict[str, int]:
        """Say how many messages were stored and how many came twice."""
        return dict(received)

    return app
