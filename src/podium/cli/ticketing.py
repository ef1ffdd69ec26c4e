"""`podium ticketing`: the ticketing commands.

    load-paris2024 [--sale-mode draw|open]   put every Paris 2024 session on sale (idempotent)
    sessions [--day D] [--venue V]           sessions on sale with units left
    seed                                     a new draw seed and its commitment to publish
    open-draw NAME OPENS CLOSES COMMITMENT   open a draw (ISO times), prints its id
    run-draw DRAW_ID SEED                    reveal the seed and run the draw
    verify-draw DRAW_ID                      recompute a drawn draw from its published seed
    expire                                   expire carts and unpaid orders whose hold ended
    check                                    the no-oversell invariant (exit 1 if broken)

Run by the organising committee's ticketing staff on the host. A refusal ends with
`[code] message` and exit status 1.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Annotated

import typer
from rich.markup import escape

from podium.cli.common import console, open_node, require_games_data
from podium.core.clock import system_clock
from podium.core.db import Planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.ticketing import (
    commitment_of,
    expire_holds,
    load_inventory,
    load_venue_plans,
    open_draw,
    oversold_rows,
    payments_without_tickets,
    published_draw,
    run_draw,
    ticketed_sessions,
    verify_draw,
)

__all__ = ["ticketing_app"]

ticketing_app = typer.Typer(help="Ticketing: inventory, draws, holds and the no-oversell check.")


@contextmanager
def _node(ctx: typer.Context) -> Iterator[Planes]:
    settings: Settings = ctx.obj
    planes = open_node(settings)
    try:
        require_games_data(planes, settings)
        yield planes
    except PodiumError as error:
        console.print(escape(f"[{error.code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        planes.dispose()


@ticketing_app.command("load-paris2024")
def load_paris2024(
    ctx: typer.Context,
    sale_mode: Annotated[str, typer.Option(help="`draw` or `open`.")] = "draw",
) -> None:
    """Put every Paris 2024 session of a planned venue on sale; a second run adds nothing."""
    with _node(ctx) as planes, planes.games_session() as games:
        report = load_inventory(games, load_venue_plans(), sale_mode=sale_mode)
    console.print(
        f"ticketing: {report.sessions_added} sessions and {report.rows_added} inventory rows "
        f"added; {report.sessions_without_plan} sessions have no venue plan"
    )


@ticketing_app.command("sessions")
def sessions(
    ctx: typer.Context,
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    venue: Annotated[str | None, typer.Option(help="Venue code, e.g. STA.")] = None,
) -> None:
    """Print sessions on sale with the units left (tab-separated)."""
    with _node(ctx) as planes, planes.games_session() as games:
        rows = ticketed_sessions(games, date.fromisoformat(day) if day else None, venue)
    for s in rows:
        typer.echo(
            f"{s.session_code}\t{s.venue_code}\t{s.starts_at.isoformat()}\t{s.sale_mode}\t{s.available}"
        )


@ticketing_app.command("seed")
def seed() -> None:
    """Print a fresh draw seed and the commitment to publish before the draw (keep the seed)."""
    value = secrets.token_hex(32)
    typer.echo(f"seed\t{value}\ncommitment\t{commitment_of(value)}")


@ticketing_app.command("open-draw")
def open_draw_command(
    ctx: typer.Context, name: str, opens: str, closes: str, commitment: str
) -> None:
    """Open a draw: registrations from OPENS until CLOSES (ISO 8601 with offset)."""
    window = (datetime.fromisoformat(opens), datetime.fromisoformat(closes))
    with _node(ctx) as planes, planes.games_session() as games:
        draw = open_draw(games, name, window, commitment)
        typer.echo(str(draw.id))


@ticketing_app.command("run-draw")
def run_draw_command(ctx: typer.Context, draw_id: int, seed_hex: str) -> None:
    """Reveal the seed, rank the entries and open the winners' purchase slots."""
    with _node(ctx) as planes, planes.games_session() as games:
        outcome = run_draw(games, draw_id, seed_hex, system_clock())
    console.print(
        f"draw {draw_id}: {outcome.entries} entries, {outcome.winners} winning, "
        f"{outcome.slots} purchase slots"
    )


@ticketing_app.command("verify-draw")
def verify_draw_command(ctx: typer.Context, draw_id: int) -> None:
    """Recompute a drawn draw from its published seed and entries (exit 1 if it differs)."""
    with _node(ctx) as planes, planes.games_session() as games:
        order = verify_draw(published_draw(games, draw_id))
    console.print(f"draw {draw_id}: verified, {len(order)} entries in the published order")


@ticketing_app.command("expire")
def expire(ctx: typer.Context) -> None:
    """Expire carts and unpaid orders whose hold ended, giving their units back."""
    with _node(ctx) as planes, planes.games_session() as games:
        count = expire_holds(games, system_clock())
    console.print(f"{count} orders expired")


@ticketing_app.command("check")
def check(ctx: typer.Context) -> None:
    """Check that no row is oversold and that every accepted payment has its tickets."""
    with _node(ctx) as planes, planes.games_session() as games:
        rows, payments = oversold_rows(games), payments_without_tickets(games)
    console.print(
        f"oversold rows: {rows or 'none'}; payments without tickets: {payments or 'none'}"
    )
    if rows or payments:
        raise typer.Exit(code=1)
