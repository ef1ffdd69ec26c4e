"""`podium receive`: run the reference HTTP push consumer (see `podium.api.receiver`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["receive"]


def receive(
    out: Annotated[Path, typer.Option(help="Folder the messages are written to.")] = Path(
        "received"
    ),
    api_key: Annotated[
        str, typer.Option(envvar="PODIUM_RECEIVER_API_KEY", help="Key the feed must send.")
    ] = "demo-key",
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 9000,
) -> None:
    """Receive the ODF feed by HTTP push and write each message to a file (§8.4 names)."""
    import uvicorn  # noqa: PLC0415

    from podium.api.receiver import receiver_app  # noqa: PLC0415

    uvicorn.run(receiver_app(out, api_key), host=host, port=port, log_level="warning")
