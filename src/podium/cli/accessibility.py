"""`podium accessibility`: the accessibility commands.

    podium accessibility describe RSC [--lang en|fr] [--speak]
    podium accessibility statement [--lang en|fr] [--audit FILE]

`describe` reads the node's feed log and prints the live descriptions of one unit (every
DT_RESULT and DT_MEDALLISTS about it, in feed order), as the description channel made
them; `--speak` also writes each sentence's WAV under `<data dir>/speech/<lang>/`.
Exit codes: 0 done, 1 no message about the unit, 2 the node cannot be opened, 3 speech
unavailable (espeak-ng missing).

`statement` prints the accessibility statement (RGAA 4.1 style) as Markdown, computed from
the bundled audit or from `--audit FILE`; exit 1 on a bad option, 2 on an invalid audit.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from podium.accessibility import (
    Describer,
    Description,
    SpeechEngine,
    SpeechLang,
    SpeechUnavailableError,
    StatementDataError,
    build_statement,
    bundled_statement,
    games_names,
    load_audit,
    load_statement_data,
)
from podium.cli.common import console, open_node
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.log import find_messages
from podium.odf import parse_message
from podium.web.statement_pages import statement_markdown

__all__ = ["accessibility_app"]

accessibility_app = typer.Typer(help="Accessibility: live descriptions and speech.")

_TYPES = ("DT_RESULT", "DT_MEDALLISTS")


def _described(planes: Planes, rsc: str) -> list[Description]:
    nocs, units = games_names(planes)
    describer = Describer(nocs, units.get)
    with planes.games_session() as session:
        events = [
            event
            for document_type in _TYPES
            for event in find_messages(session, document_type=document_type, limit=100_000)
            if event.document_code in {rsc, rsc[:22].ljust(34, "-")}
        ]
    found: list[Description] = []
    for event in sorted(events, key=lambda e: e.seq):
        if not event.invalidation:
            found += describer.describe(event.seq, parse_message(event.content))
    return [d for d in found if d.unit == rsc]


@accessibility_app.command("describe")
def describe(
    ctx: typer.Context,
    rsc: Annotated[str, typer.Argument(help="The unit's RSC.")],
    *,
    lang: Annotated[str, typer.Option(help="en or fr.")] = "en",
    speak: Annotated[bool, typer.Option(help="Write each sentence's WAV too.")] = False,
) -> None:
    """Print a unit's live descriptions from the feed log (and speak them with --speak)."""
    settings: Settings = ctx.obj
    if lang not in {"en", "fr"}:
        console.print(escape(f"--lang must be en or fr, not {lang!r}"))
        raise typer.Exit(code=1)
    spoken: SpeechLang = "en" if lang == "en" else "fr"
    planes = open_node(settings)
    try:
        found = _described(planes, rsc.upper())
    finally:
        planes.dispose()
    if not found:
        console.print(escape(f"no description of {rsc}: the feed log has nothing about it"))
        raise typer.Exit(code=1)
    engine = SpeechEngine(settings.data_dir / "speech")
    for description in found:
        line = f"{description.id:>10}  {description.kind:<13}  {description.text(spoken)}"
        console.print(escape(line), soft_wrap=True)
        if speak:
            try:
                path = asyncio.run(engine.audio(description.id, spoken, description.text(spoken)))
            except SpeechUnavailableError as error:
                console.print(escape(f"[{error.code}] {error}"))
                raise typer.Exit(code=3) from None
            console.print(escape(f"{'':>10}  audio: {path}"), soft_wrap=True)


@accessibility_app.command("statement")
def statement(
    ctx: typer.Context,
    *,
    lang: Annotated[str, typer.Option(help="en or fr.")] = "en",
    audit: Annotated[
        Path | None, typer.Option(help="An audit JSON file instead of the bundled one.")
    ] = None,
) -> None:
    """Print the accessibility statement (RGAA 4.1 style) as Markdown."""
    if lang not in {"en", "fr"}:
        console.print(escape(f"--lang must be en or fr, not {lang!r}"))
        raise typer.Exit(code=1)
    settings: Settings = ctx.obj
    contact = settings.accessibility_contact
    try:
        if audit is None:
            computed = bundled_statement(contact)
        else:
            computed = build_statement(load_audit(audit), load_statement_data(), contact)
    except (StatementDataError, FileNotFoundError) as error:
        console.print(escape(f"[statement_data_invalid] {error}"))
        raise typer.Exit(code=2) from None
    typer.echo(statement_markdown(computed, "fr" if lang == "fr" else "en"), nl=False)
