"""The `podium` command: import, serve, medals and ODF tools over the same services."""

from __future__ import annotations

import enum
import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from podium.cli.accessibility import accessibility_app
from podium.cli.accreditation import accreditation_app
from podium.cli.audit import app as audit_app
from podium.cli.common import console, has_games_data, open_node, require_games_data
from podium.cli.entries import entries_app
from podium.cli.feed import feed_app
from podium.cli.gate import gate_app
from podium.cli.odf import odf_app
from podium.cli.people import people_app
from podium.cli.privacy import keys_app, operator_app
from podium.cli.receive import receive
from podium.cli.replay import replay_app
from podium.cli.results import result_app
from podium.cli.subjects import privacy_app, request_app, retention_app, subject_app
from podium.cli.ticketing import ticketing_app
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.paris2024 import DEFAULT_SOURCE, ImportOptions, ImportReport, import_paris2024
from podium.results import Competition

__all__ = ["app"]

app = typer.Typer(
    help="Podium: the Games' management, results and diffusion platform.",
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import data sets.")
app.add_typer(import_app, name="import")
app.add_typer(odf_app, name="odf")
app.add_typer(operator_app, name="operator")
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.add_typer(subject_app, name="subject")
app.add_typer(request_app, name="request")
app.add_typer(retention_app, name="retention")
app.add_typer(privacy_app, name="privacy")
app.add_typer(replay_app, name="replay")
app.add_typer(result_app, name="result")
app.command("receive")(receive)
app.add_typer(feed_app, name="feed")
app.add_typer(people_app, name="people")
app.add_typer(accreditation_app, name="accreditation")
app.add_typer(entries_app, name="entries")
app.add_typer(accessibility_app, name="accessibility")
app.add_typer(ticketing_app, name="ticketing")
app.add_typer(gate_app, name="gate")

_IMPORT_STAGES = (
    "NOCs",
    "results",
    "schedule",
    "preliminary schedule",
    "people",
    "medals",
    "writing",
)


class OutputFormat(enum.StrEnum):
    """How `podium medals` prints the table."""

    TABLE = "table"
    JSON = "json"


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
    folder = source or DEFAULT_SOURCE
    if not folder.is_dir():
        console.print(escape(f"import failed: {folder} is not a folder of Paris 2024 files"))
        raise typer.Exit(code=1)
    options = ImportOptions(
        source=folder, data_dir=settings.data_dir, strict=strict, key_dir=settings.key_store()
    )
    planes = open_node(settings)
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    try:
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("importing Paris 2024", total=len(_IMPORT_STAGES))

            def step(name: str) -> None:
                progress.update(task, description=f"importing Paris 2024: {name}", advance=1)

            report = import_paris2024(planes, options, step)
            progress.update(task, completed=len(_IMPORT_STAGES))
    except PodiumError as error:
        console.print(escape(f"import failed, nothing written: {error}"), soft_wrap=True)
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
    kinds = Counter(n["code"] for n in report.notices)
    console.print(f"{len(report.notices)} rows imported after a documented repair, or skipped:")
    for code, count in sorted(kinds.items()):
        console.print(escape(f"  [{code}] {count}"))
    console.print(f"{len(report.quarantined)} rows quarantined (not imported):")
    for fault in report.quarantined:
        where = f"{fault['file']}:{fault['line']} {fault['column']}"
        console.print(escape(f"  {where}: [{fault['code']}] {fault['reason']}"), soft_wrap=True)
    console.print("Every row is listed in reports/import-paris2024-latest.json in the data folder.")


@app.command()
def medals(
    ctx: typer.Context,
    games: Annotated[
        Competition, typer.Option(help="OG2024 (Olympic) or PG2024 (Paralympic).")
    ] = Competition.OG2024,
    output: Annotated[OutputFormat, typer.Option("--format", help="table or json.")] = (
        OutputFormat.TABLE
    ),
) -> None:
    """Print the medal standings (gold, then silver, then bronze)."""
    from podium.results import medal_table  # noqa: PLC0415  (keeps start-up light)

    settings: Settings = ctx.obj
    planes = open_node(settings)
    try:
        require_games_data(planes, settings)
        with planes.games_session() as session:
            rows = medal_table(session, games)
    finally:
        planes.dispose()
    if output is OutputFormat.JSON:
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
    planes = open_node(settings)
    if not has_games_data(planes):
        console.print(
            escape(
                f"warning: no Games data in {settings.data_dir}: the pages will be empty."
                f" Run `podium --data-dir {settings.data_dir} import paris2024` first."
            )
        )
    planes.dispose()
    # Live pages hold SSE streams open: stop waiting for them after 3 s on Ctrl-C.
    uvicorn.run(
        create_app(settings), host=host, port=port, log_level="info", timeout_graceful_shutdown=3
    )
