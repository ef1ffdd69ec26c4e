"""`podium entries`: load the real Paris 2024 entries, re-check every entry, write ODF.

    load-paris2024                 enter every imported athlete and team (idempotent)
    check [--with-ages]            re-check every entry against the rules, report
    odf DOCUMENT_TYPE CODE --out F DT_PARTIC | DT_PARTIC_TEAMS (discipline), DT_ENTRIES (event)

Run by the organising committee's staff on the host, as the `system` operator. With
`--with-ages` the birth dates are read on the sovereign host, under the sport-entries
purpose (role entries-officer; the policy releases the birth date alone), each read
decided by the access policy and audited; without it the age rule is reported `unknown`.
A refusal or an unusable rules file ends with `[code] message` and exit status 1; entries
that break a rule make `check` exit 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from podium.cli.common import console, open_node_spine, require_games_data
from podium.core.db import Planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.diffusion import feed_context
from podium.entries import (
    ENTRY_DOCUMENT_TYPES,
    EntryContext,
    RefusedEntry,
    SovereignBirthDates,
    check_entries,
    entries_odf,
    load_paris2024_entries,
    load_rules,
)
from podium.privacy.operators import Principal
from podium.privacy.regions import Region
from podium.privacy.spine import Spine

__all__ = ["entries_app"]

entries_app = typer.Typer(help="Sport entries: load, check, and write ODF entries messages.")

_SYSTEM = Principal(
    operator_id="system",
    username="system",
    display_name="Podium system",
    roles=frozenset({"entries-officer"}),
    purposes=frozenset({"sport-entries"}),
    region=Region.EU_EEA,
    scopes=None,
    purpose="sport-entries",
    organisation="PARIS2024",
)
"""The host's own operator: reads birth dates for the age rule under the sport-entries
purpose, as an entries officer does on the entries desk (`privacy/policy.toml`)."""


@contextmanager
def _node(ctx: typer.Context) -> Iterator[tuple[Planes, Spine]]:
    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        require_games_data(planes, settings)
        yield planes, spine
    except PodiumError as error:
        console.print(escape(f"[{error.code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        spine.close()
        planes.dispose()


def _print_refused(refused: list[RefusedEntry]) -> None:
    for entry in refused:
        line = (
            f"refused {entry.noc} {entry.event} {entry.competitor}: [{entry.code}] {entry.message}"
        )
        console.print(escape(line), soft_wrap=True)


@entries_app.command("load-paris2024")
def load_paris2024(ctx: typer.Context) -> None:
    """Enter every imported Paris 2024 athlete and team; a second run changes nothing."""
    with _node(ctx) as (planes, _spine), planes.games_session() as games:
        report = load_paris2024_entries(games, EntryContext(load_rules()))
    _print_refused(report.refused)
    levels = ", ".join(f"{code} ({n})" for code, n in sorted(report.discipline_level.items()))
    console.print(
        f"entries: {report.entered} entered, {report.unchanged} unchanged, "
        f"{len(report.refused)} refused"
    )
    if levels:
        console.print(escape(f"codes naming no event, not entries: {levels}"), soft_wrap=True)


@entries_app.command("check")
def check(
    ctx: typer.Context,
    *,
    with_ages: Annotated[
        bool, typer.Option("--with-ages", help="Read birth dates (audited) for the age rule.")
    ] = False,
) -> None:
    """Re-check every entered entry against the rules; exit 1 when one breaks a rule."""
    with (
        _node(ctx) as (planes, spine),
        planes.games_session() as games,
        planes.sovereign_session() as sovereign,
    ):
        context = EntryContext(load_rules())
        if with_ages:
            births = SovereignBirthDates(spine, games, sovereign, _SYSTEM)
            context = EntryContext(context.rules, context.clock, births)
        report = check_entries(games, context)
    _print_refused(report.refused)
    console.print(
        f"checked {report.checked} entries: {len(report.refused)} break a rule; age "
        f"eligible {report.age_checked}, unknown {report.age_unknown}"
    )
    if report.refused:
        raise typer.Exit(code=1)


@entries_app.command("odf")
def odf(
    ctx: typer.Context,
    document_type: Annotated[str, typer.Argument(help=" | ".join(ENTRY_DOCUMENT_TYPES))],
    code: Annotated[str, typer.Argument(help="Discipline (DT_PARTIC*) or event (DT_ENTRIES).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write the XML to.")],
) -> None:
    """Write one ODF message built from the entries to a file."""
    with _node(ctx) as (planes, _spine), planes.games_session() as games:
        xml = entries_odf(games, feed_context(), document_type.upper(), code.upper())
    out.write_bytes(xml)
    console.print(escape(f"{document_type.upper()} {code.upper()}: {len(xml)} bytes to {out}"))
