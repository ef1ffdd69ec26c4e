"""`podium accreditation`: the accreditation desk's commands on the host.

Run by the accreditation staff on the host, audited as the `system` operator. A refused
step ends with one line `[code] message` and exit status 1.

    load-paris2024            organisations and applications for every imported participant
    submit NUMBER...          send applications to vetting (`--all` for every applied one)
    approve NUMBER...         record the vetting authority's favourable opinion (manual)
    refuse NUMBER... -r WHY   refuse
    print NUMBER...           print cards (`--all` for every approved one)
    revoke NUMBER... -r WHY   revoke
    expire-vetting            refuse applications whose vetting answer is overdue
    publish-revocations       publish the next signed revocation list (`--out FILE`)
    device-package VENUE --out FILE   the signed package of a venue's gate devices
    rotate-keys               a new active credential signing key
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from sqlalchemy import select

from podium.accreditation import (
    Accreditation,
    Desk,
    ManualVetting,
    Opinion,
    accredit_participants,
    device_package,
    expire_overdue_vetting,
    open_desk,
    print_cards,
    publish_revocations,
    record_vetting,
    refuse,
    revoke,
    submit,
)
from podium.cli.common import console, open_node_spine, require_games_data
from podium.core.errors import PodiumError
from podium.core.settings import Settings

__all__ = ["accreditation_app"]

accreditation_app = typer.Typer(help="Accreditation: applications, vetting, cards, gates.")

Numbers = Annotated[list[int] | None, typer.Argument(help="Accreditation numbers.")]
Everyone = Annotated[bool, typer.Option("--all", help="Every accreditation in the status.")]
Reason = Annotated[str, typer.Option("--reason", "-r", help="Why (required).")]


@contextmanager
def _desk(ctx: typer.Context) -> Iterator[Desk]:
    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        require_games_data(planes, settings)
        yield open_desk(settings, planes, spine)
    except PodiumError as error:
        console.print(escape(f"[{error.code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        spine.close()
        planes.dispose()


def _chosen(desk: Desk, numbers: list[int] | None, everyone: bool, status: str) -> list[int]:  # noqa: FBT001
    if not everyone:
        return list(numbers or [])
    with desk.planes.games_session() as games:
        query = select(Accreditation.id).where(Accreditation.status == status)
        return list(games.scalars(query.order_by(Accreditation.id)))


@accreditation_app.command("load-paris2024")
def load_paris2024(ctx: typer.Context) -> None:
    """Create organisations and applications for every imported Paris 2024 participant."""
    with _desk(ctx) as desk:
        report = accredit_participants(desk)
    console.print(
        f"{report.organisations} organisations created, {report.applications} applications, "
        f"{report.skipped} participants already accredited"
    )


@accreditation_app.command("submit")
def submit_command(ctx: typer.Context, numbers: Numbers = None, everyone: Everyone = False) -> None:  # noqa: FBT002
    """Send applications to vetting (a case due after the statutory period)."""
    with _desk(ctx) as desk:
        chosen = _chosen(desk, numbers, everyone, "applied")
        count = len(submit(desk, None, chosen)) if chosen else 0
    console.print(f"{count} applications sent to vetting")


@accreditation_app.command("approve")
def approve(ctx: typer.Context, numbers: Numbers = None, everyone: Everyone = False) -> None:  # noqa: FBT002
    """Record the vetting authority's favourable opinion (ManualVetting): approved."""
    with _desk(ctx) as desk:
        vetting = ManualVetting()
        for number in _chosen(desk, numbers, everyone, "in_vetting"):
            vetting.decide(number, Opinion.FAVOURABLE)
        counts = record_vetting(desk, None, vetting)
    console.print(f"{counts['approved']} approved")


@accreditation_app.command("refuse")
def refuse_command(ctx: typer.Context, reason: Reason, numbers: Numbers = None) -> None:
    """Refuse applications (applied, in vetting or approved)."""
    with _desk(ctx) as desk:
        count = refuse(desk, None, list(numbers or []), reason)
    console.print(f"{count} refused")


@accreditation_app.command("print")
def print_command(ctx: typer.Context, numbers: Numbers = None, everyone: Everyone = False) -> None:  # noqa: FBT002
    """Print cards: sign each credential (a re-print revokes the previous card)."""
    with _desk(ctx) as desk:
        chosen = _chosen(desk, numbers, everyone, "approved")
        count = len(print_cards(desk, None, chosen)) if chosen else 0
    console.print(f"{count} cards printed")


@accreditation_app.command("revoke")
def revoke_command(ctx: typer.Context, reason: Reason, numbers: Numbers = None) -> None:
    """Revoke accreditations; their cards join the next revocation list."""
    with _desk(ctx) as desk:
        count = revoke(desk, None, list(numbers or []), reason)
    console.print(f"{count} revoked; publish the revocation list to tell offline gates")


@accreditation_app.command("expire-vetting")
def expire_vetting(ctx: typer.Context) -> None:
    """Refuse applications whose vetting answer is overdue (reason vetting_timeout)."""
    with _desk(ctx) as desk:
        count = expire_overdue_vetting(desk)
    console.print(f"{count} applications refused: no vetting answer in the statutory period")


@accreditation_app.command("publish-revocations")
def publish(
    ctx: typer.Context,
    out: Annotated[Path | None, typer.Option(help="Write the full signed list here.")] = None,
    delta: Annotated[Path | None, typer.Option(help="Write the signed delta here.")] = None,
) -> None:
    """Publish the next signed revocation list (full and delta)."""
    with _desk(ctx) as desk:
        published = publish_revocations(desk)
    if out is not None:
        out.write_bytes(published.full)
    if delta is not None:
        delta.write_bytes(published.delta)
    console.print(f"revocation list {published.serial}: {published.added} new entries")


@accreditation_app.command("device-package")
def device_package_command(
    ctx: typer.Context,
    venue: Annotated[str, typer.Argument(help="Venue code, e.g. STA.")],
    out: Annotated[Path, typer.Option(help="Where to write the signed package.")],
) -> None:
    """Write the signed device package of a venue (keys, revocations, suspensions, zones)."""
    with _desk(ctx) as desk:
        out.write_bytes(device_package(desk, venue.upper()))
    console.print(escape(f"device package of {venue.upper()} written to {out}"))


@accreditation_app.command("rotate-keys")
def rotate_keys(ctx: typer.Context) -> None:
    """Make a new active credential signing key; older keys verify their cards until retired."""
    with _desk(ctx) as desk:
        key = desk.keyring.rotate()
    console.print(f"new active signing key {key.kid}")
