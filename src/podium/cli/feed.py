"""`podium feed …`: HTTP push consumers, re-sends, and the push sender itself.

`podium feed consumer add|list|remove|enable|disable` manage the consumers of ODF
Foundation Principles §8, `podium feed resend` queues archived messages again (by
sequence number or by the archive's search fields), and `podium feed push` runs the push
sender until Ctrl-C, for a node that does not run `podium serve` (which pushes already:
run one sender per feed). Writes are audited as the `system` operator.

Exit codes: 0 done, 1 refused (the reason and its code are printed), 2 the node cannot
be opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Callable
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

from podium.cli.common import console, open_node, open_node_spine
from podium.core.clock import system_clock
from podium.core.db import Planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.diffusion.consumers import (
    ArchiveSearch,
    ConsumerChange,
    ConsumerSpec,
    list_status,
    register_consumer,
    remove_consumer,
    request_archive_resend,
    request_resend,
    update_consumer,
)
from podium.diffusion.push import PushService
from podium.privacy.access import record_write

__all__ = ["feed_app"]

feed_app = typer.Typer(help="HTTP push of the feed: consumers, re-sends, the sender.")
consumer_app = typer.Typer(help="HTTP push consumers (ODF Foundation Principles §8).")
feed_app.add_typer(consumer_app, name="consumer")

Write = Callable[[Session], str]
"""A write over a games-plane session, returning what it did for the operator."""


def _write(
    settings: Settings, consumer: str, action: str, fields: tuple[str, ...], write: Write
) -> None:
    """Run one write in a games-plane transaction, audited as `system`, and report it.

    Raises:
        typer.Exit: code 1 when the write is refused (nothing is written), 2 when the
            node cannot be opened.
    """
    planes, spine = open_node_spine(settings)
    try:
        with planes.sovereign_session() as sovereign, planes.games_session() as games:
            report = write(games)
            record_write(
                spine,
                sovereign,
                operator="system",
                action=action,
                subject=None,
                fields=fields,
                purpose="operations",
                reason=f"consumer:{consumer}",
            )
    except PodiumError as error:
        console.print(escape(f"refused: [{error.code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        planes.dispose()
        spine.close()
    console.print(escape(report), soft_wrap=True)


@consumer_app.command("add")
def consumer_add(  # noqa: PLR0913 - one option per consumer attribute
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Short unique name, lower case (ebu).")],
    *,
    endpoint: Annotated[str, typer.Option(help="The http(s) URL each message is POSTed to.")],
    api_key: Annotated[
        str,
        typer.Option(
            help="The consumer's key, sent as X-API-KEY (asked for when omitted).",
            prompt=True,
            hide_input=True,
        ),
    ],
    organisation: Annotated[str, typer.Option(help="Who receives.")] = "",
    discipline: Annotated[
        list[str] | None,
        typer.Option(help="Only this discipline (ATH; --- for Games-wide); repeat for more."),
    ] = None,
    document_type: Annotated[
        list[str] | None, typer.Option(help="Only this DocumentType (DT_RESULT); repeat.")
    ] = None,
    start_after: Annotated[
        int | None,
        typer.Option(help="Deliver after this sequence number (0: the whole log; default: now)."),
    ] = None,
) -> None:
    """Register an HTTP push consumer: it receives each message from now (or --start-after)."""
    spec = ConsumerSpec(
        name=name,
        endpoint=endpoint,
        api_key=api_key,
        organisation=organisation,
        disciplines=tuple(discipline or ()),
        document_types=tuple(document_type or ()),
        start_after=start_after,
    )

    def add(session: Session) -> str:
        row = register_consumer(session, spec)
        return f"registered {row.name}: delivery starts after message {row.cursor}"

    fields = ("name", "endpoint", "api_key", "organisation", "disciplines", "document_types")
    _write(ctx.obj, name, "diffusion.consumer.create", fields, add)


@consumer_app.command("list")
def consumer_list(ctx: typer.Context) -> None:
    """List the consumers with their filters and queues (the key is never shown)."""
    settings: Settings = ctx.obj
    planes = open_node(settings)
    try:
        with planes.games_session() as session:
            statuses = list_status(session)
    finally:
        planes.dispose()
    table = Table(title="HTTP push consumers")
    table.add_column("consumer", no_wrap=True)
    table.add_column("endpoint", overflow="fold")
    table.add_column("filters")
    table.add_column("state", no_wrap=True)
    table.add_column("queue", no_wrap=True)
    table.add_column("failing", overflow="fold")
    for s in statuses:
        queue = [f"acknowledged {s.cursor} of {s.newest_seq}", f"{s.pending} pending"]
        if s.resends:
            queue.append(f"{s.resends} re-sends")
        if s.in_flight is not None:
            queue.append(f"sending {s.in_flight}")
        failing = f"{s.attempts} attempts: {s.last_error}" if s.attempts else "-"
        table.add_row(
            escape("\n".join(filter(None, (s.name, s.organisation)))),
            escape(s.endpoint),
            escape(" ".join((*s.disciplines, *s.document_types)) or "all"),
            "enabled" if s.enabled else "disabled",
            "\n".join(queue),
            escape(failing),
        )
    Console().print(table)


def _set_enabled(settings: Settings, name: str, *, enabled: bool) -> None:
    def change(session: Session) -> str:
        update_consumer(session, name, ConsumerChange(enabled=enabled))
        return f"{name}: {'enabled' if enabled else 'disabled (its queue keeps growing)'}"

    action = "diffusion.consumer.enable" if enabled else "diffusion.consumer.disable"
    _write(settings, name, action, ("enabled",), change)


NameArgument = Annotated[str, typer.Argument(help="The consumer's name.")]


@consumer_app.command("enable")
def consumer_enable(ctx: typer.Context, name: NameArgument) -> None:
    """Resume delivery to a consumer, from its cursor."""
    _set_enabled(ctx.obj, name, enabled=True)


@consumer_app.command("disable")
def consumer_disable(ctx: typer.Context, name: NameArgument) -> None:
    """Stop delivery to a consumer; its queue keeps growing for when it is enabled again."""
    _set_enabled(ctx.obj, name, enabled=False)


@consumer_app.command("remove")
def consumer_remove(ctx: typer.Context, name: NameArgument) -> None:
    """Remove a consumer and its pending re-sends (the feed log is untouched)."""

    def remove(session: Session) -> str:
        remove_consumer(session, name)
        return f"removed {name}"

    _write(ctx.obj, name, "diffusion.consumer.remove", ("name",), remove)


@feed_app.command("resend")
def resend(  # noqa: PLR0913 - the sequence numbers, or one option per search field
    ctx: typer.Context,
    name: NameArgument,
    *,
    seq: Annotated[
        list[int] | None, typer.Option(help="A message's sequence number; repeat for more.")
    ] = None,
    logical_date: Annotated[
        datetime | None, typer.Option(formats=["%Y-%m-%d"], help="The messages' LogicalDate.")
    ] = None,
    document_code: Annotated[str | None, typer.Option(help="A DocumentCode.")] = None,
    document_type: Annotated[str | None, typer.Option(help="A DocumentType.")] = None,
    version: Annotated[int | None, typer.Option(help="A Version.")] = None,
    discipline: Annotated[str | None, typer.Option(help="A discipline code.")] = None,
) -> None:
    """Send archived messages again to a consumer: --seq N ..., or an archive search."""
    search = ArchiveSearch(
        logical_date=None if logical_date is None else logical_date.date(),
        document_code=document_code,
        document_type=document_type,
        version=version,
        discipline=discipline,
    )
    if seq and search != ArchiveSearch():
        console.print(escape("refused: [resend_ambiguous] give --seq or search options, not both"))
        raise typer.Exit(code=1)

    def queue(session: Session) -> str:
        now = system_clock()
        if seq:
            queued = request_resend(session, name, seq, "system", now)
        else:
            queued = request_archive_resend(session, name, search, "system", now)
        return f"{name}: queued again ({len(queued)}): {', '.join(map(str, queued))}"

    _write(ctx.obj, name, "diffusion.feed.resend", ("seqs",), queue)


async def _push_until_stopped(planes: Planes, settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # no signal handlers on Windows
            loop.add_signal_handler(number, stop.set)
    console.print("pushing the feed to its enabled consumers; Ctrl-C to stop")
    await PushService(planes, settings).run(stop)


@feed_app.command("push")
def push(ctx: typer.Context) -> None:
    """Push the feed to every enabled consumer until Ctrl-C (a node without `podium serve`).

    Consumers added, enabled or disabled meanwhile are picked up within a second, and
    messages appended by other processes within a second.
    """
    settings: Settings = ctx.obj
    if settings.feed_role != "primary":
        console.print("refused: this node's feed role is 'edge'; the primary node pushes")
        raise typer.Exit(code=1)
    planes = open_node(settings)
    try:
        asyncio.run(_push_until_stopped(planes, settings))
    except KeyboardInterrupt:  # where no signal handler could be installed
        pass
    finally:
        planes.dispose()
    console.print("push stopped; each consumer resumes from its cursor at the next start")
