"""`podium gate`: gate devices, their offline packages, and the merge of offline scans.

Run by gate managers on the host. A refused step ends with one line `[code] message` and
exit status 1.

    register VENUE --gate G1=1 [--gate G2=1] --label TEXT   register a gate device
    disable DEVICE                                            disable a device
    package DEVICE --out FILE                                 its signed offline package
    upload DEVICE FILE                                        store a device's scan log (JSON list)
    double-entries                                            tickets that entered twice
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from podium.cli.common import console, open_node_spine
from podium.core.clock import system_clock
from podium.core.db import Planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.gates import DoubleEntry, ScanRecord
from podium.ticketing import (
    PackageKeys,
    TicketOffice,
    build_device_package,
    disable_device,
    double_entries,
    open_ticket_office,
    record_uploads,
    register_device,
)

__all__ = ["gate_app"]

gate_app = typer.Typer(help="Gate devices, offline packages and the merge of offline scans.")


@dataclass(frozen=True)
class _Node:
    planes: Planes
    office: TicketOffice


@contextmanager
def _node(ctx: typer.Context) -> Iterator[_Node]:
    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        yield _Node(planes, open_ticket_office(spine))
    except (PodiumError, ValueError) as error:
        code = getattr(error, "code", "invalid")
        console.print(escape(f"[{code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        spine.close()
        planes.dispose()


@gate_app.command("register")
def register(
    ctx: typer.Context,
    venue: str,
    gate: Annotated[list[str], typer.Option("--gate", help="GATE=ZONE, repeatable")],
    label: Annotated[str, typer.Option("--label", help="a name for staff")],
) -> None:
    """Register a gate device for a venue's gates; print its id."""
    with _node(ctx) as node:
        gates = {name: zone for name, _, zone in (item.partition("=") for item in gate)}
        with node.planes.games_session() as games:
            device = register_device(games, venue, gates, label, system_clock())
        console.print(f"{device.id} {device.venue} {' '.join(sorted(device.gates))}")


@gate_app.command("disable")
def disable(ctx: typer.Context, device: str) -> None:
    """Disable a device: no more scans, uploads or packages."""
    with _node(ctx) as node, node.planes.games_session() as games:
        disable_device(games, device, system_clock())
    console.print(f"{device} disabled")


@gate_app.command("package")
def package(
    ctx: typer.Context,
    device: str,
    out: Annotated[Path, typer.Option("--out", help="where to write the signed package")],
) -> None:
    """Write a device's signed offline package (it holds the ticket code keys: keep it safe)."""
    with _node(ctx) as node:
        keys = PackageKeys(node.office.keyring, node.office.code_keys)
        with node.planes.games_session() as games:
            data = build_device_package(games, device, keys, system_clock())
        out.write_bytes(data)
        out.chmod(0o600)
    console.print(f"{out}: {len(data):,} bytes")


@gate_app.command("upload")
def upload(ctx: typer.Context, device: str, scans: Path) -> None:
    """Store a device's scan log (a JSON list of scan records) and print the double entries."""
    with _node(ctx) as node:
        items = json.loads(scans.read_text())
        if not isinstance(items, list):
            raise typer.BadParameter(f"{scans}: not a JSON list of scans")
        records = [ScanRecord.from_json(item, f"{scans} item {n}") for n, item in enumerate(items)]
        report = record_uploads(node.planes, device, records, system_clock())
    console.print(f"stored {report.stored}, already stored {report.duplicates}")
    _print_doubles(report.double_entries)


@gate_app.command("double-entries")
def doubles(ctx: typer.Context) -> None:
    """Print every ticket that entered twice without an exit, through two devices."""
    with _node(ctx) as node:
        _print_doubles(double_entries(node.planes))


def _print_doubles(entries: list[DoubleEntry]) -> None:
    if not entries:
        console.print("no double entry")
    for entry in entries:
        console.print(
            f"ticket {entry.credential_id}: {entry.first.device} at {entry.first.at:%H:%M:%S}, "
            f"then {entry.second.device} at {entry.second.at:%H:%M:%S}"
        )
