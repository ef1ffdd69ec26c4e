"""The `podium` command: import, serve, medals and ODF tools over the same services."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from podium.core.db import Planes, open_planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, ImportReport, import_paris2024

__all__ = ["app"]

app = typer.Typer(help="Podium: the Games' management, results and diffusion platform.")
import_app = typer.Typer(help="Import data sets.")
app.add_typer(import_app, name="import")
console = Console(stderr=True)

_IMPORT_STAGES = (
    "NOCs",
    "results",
    "schedule",
    "preliminary schedule",
    "people",
    "medals",
    "writing",
)


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None, typer.Option(help="Data folder (SQLite files, keys, reports).")
    ] = None,
) -> None:
    """Set up the node's settings from the environment and the options."""
    settings = Settings() if data_dir is None else Settings(data_dir=data_dir)
    ctx.obj = settings


def _planes(ctx: typer.Context) -> Planes:
    settings: Settings = ctx.obj
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    return planes


@import_app.command("paris2024")
def import_paris2024_command(
    ctx: typer.Context,
    source: Annotated[
        Path | None, typer.Argument(help="Folder of the Paris 2024 CSV files.")
    ] = None,
    *,
    strict: Annotated[
        bool, typer.Option(help="Fail the whole import on the first bad row.")
    ] = False,
) -> None:
    """Import the real Paris 2024 Games (schedule, results, people, medals)."""
    settings: Settings = ctx.obj
    options = ImportOptions(
        source=source or DEFAULT_SOURCE, data_dir=settings.data_dir, strict=strict
    )
    planes = _planes(ctx)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("importing Paris 2024", total=len(_IMPORT_STAGES))

            def step(name: str) -> None:
                progress.update(task, description=f"importing Paris 2024: {name}", advance=1)

            report = import_paris2024(planes, options, step)
            progress.update(task, completed=len(_IMPORT_STAGES))
    except PodiumError as error:
        console.print(f"[red]import failed, nothing written:[/red] {error}")
        raise typer.Exit(code=1) from None
    finally:
        planes.dispose()
    _print_report(report)


def _print_report(report: ImportReport) -> None:
    table = Table(title="Paris 2024 import")
    for name in ("table", "inserted", "updated", "deleted", "unchanged"):
        table.add_column(name, justify="left" if name == "table" else "right")
    for t in report.tables:
        table.add_row(t.table, *(str(v) for v in (t.inserted, t.updated, t.deleted, t.unchanged)))
    console.print(table)
    console.print(f"{len(report.notices)} rows imported after a documented repair.")
    console.print(f"{len(report.quarantined)} rows quarantined (not imported):")
    for fault in report.quarantined:
        where = f"{fault['file']}:{fault['line']} {fault['column']}"
        console.print(escape(f"  {where}: [{fault['code']}] {fault['reason']}"))
    console.print("Report saved under reports/import-paris2024-latest.json in the data folder.")


@app.command()
def medals(
    ctx: typer.Context,
    games: Annotated[str, typer.Option(help="OG2024 (Olympic) or PG2024 (Paralympic).")] = "OG2024",
    output: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Print the medal standings (gold, then silver, then bronze)."""
    from podium.results import medal_table  # noqa: PLC0415  (keeps start-up light)

    planes = _planes(ctx)
    try:
        with planes.games_session() as session:
            rows = medal_table(session, games)
    finally:
        planes.dispose()
    if output == "json":
        typer.echo(json.dumps([r.model_dump() for r in rows], indent=2))
        return
    table = Table(title=f"Medal table {games}")
    for name in ("rank", "noc", "gold", "silver", "bronze", "total"):
        table.add_column(name)
    for r in rows:
        table.add_row(*(str(v) for v in (r.rank, r.noc, r.gold, r.silver, r.bronze, r.total)))
    Console().print(table)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the public pages, the JSON API and the ODF messages."""
    import uvicorn  # noqa: PLC0415

    from podium.api import create_app  # noqa: PLC0415

    settings: Settings = ctx.obj
    _planes(ctx).dispose()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


odf_app = typer.Typer(help="ODF messages: export and validate.")
app.add_typer(odf_app, name="odf")


@odf_app.command("export")
def odf_export(
    ctx: typer.Context,
    outdir: Annotated[Path, typer.Argument(help="Folder to write the messages into.")],
) -> None:
    """Write every ODF message of the Games, one file each, named per Foundation Principles §8.4."""
    from podium.diffusion import feed_context, iter_messages  # noqa: PLC0415
    from podium.odf import message_filename, parse_message  # noqa: PLC0415

    outdir.mkdir(parents=True, exist_ok=True)
    planes = _planes(ctx)
    count = 0
    try:
        with planes.games_session() as session:
            for message in iter_messages(session, feed_context()):
                header = parse_message(message.content).header
                (outdir / message_filename(header, message.content)).write_bytes(message.content)
                count += 1
    finally:
        planes.dispose()
    console.print(f"{count} ODF messages written to {outdir}")


@odf_app.command("validate")
def odf_validate(
    files: Annotated[list[Path], typer.Argument(help="ODF message files to check.")],
) -> None:
    """Check ODF messages against the bundled IOC schema; exit 1 if any is invalid."""
    from podium.odf import OdfReadError, validate_file  # noqa: PLC0415

    invalid = 0
    for path in files:
        try:
            errors = validate_file(path)
        except OdfReadError as error:
            errors_text = [str(error)]
        else:
            errors_text = [f"{path}:{e.line}: {e.message}" for e in errors]
        if errors_text:
            invalid += 1
            for line in errors_text:
                typer.echo(line)
        else:
            typer.echo(f"{path}: valid")
    if invalid:
        typer.echo(f"{invalid} of {len(files)} files are not valid ODF")
        raise typer.Exit(code=1)
