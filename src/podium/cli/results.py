"""`podium result`: enter a unit's statuses and results from the sovereign host's shell.

For a results manager without the API (or a timing system writing files): the update is
checked and stored exactly as `POST /api/units/{rsc}/live` does, in one transaction with
its feed outbox rows; a running `podium serve` on the same databases sends the messages
at its next pass (within 0.2 s).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.markup import escape

from podium.cli.common import console, open_node
from podium.core.clock import system_clock
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.diffusion.capture import CompetitorResult, UnitUpdate, capture

__all__ = ["result_app"]

result_app = typer.Typer(help="Enter start lists, results and statuses of a unit.")


def _results(path: Path) -> list[CompetitorResult]:
    """Read a JSON list of result lines; exit 2 naming the file, line and field when bad."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        console.print(escape(f"{path}: cannot read: {error.strerror}"))
        raise typer.Exit(code=2) from None
    except json.JSONDecodeError as error:
        console.print(escape(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}"))
        raise typer.Exit(code=2) from None
    if not isinstance(raw, list):
        console.print(escape(f"{path}: expected a JSON list of result lines"))
        raise typer.Exit(code=2)
    lines = []
    for index, item in enumerate(raw):
        try:
            lines.append(CompetitorResult.model_validate(item))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            console.print(escape(f"{path}: results[{index}].{where}: {first['msg']}"))
            raise typer.Exit(code=2) from None
    return lines


@result_app.command("update")
def update(  # noqa: PLR0913, PLR0917 - one option per field of the update
    ctx: typer.Context,
    unit: Annotated[str, typer.Argument(help="The unit's 34-character RSC.")],
    result_status: Annotated[
        str | None, typer.Option(help="New ResultStatus (START_LIST, LIVE, ... OFFICIAL).")
    ] = None,
    schedule_status: Annotated[
        str | None, typer.Option(help="New ScheduleStatus (GETTING_READY, RUNNING, ...).")
    ] = None,
    results: Annotated[
        Path | None, typer.Option(help="JSON file: the unit's whole list of result lines.")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why: required after OFFICIAL.")] = None,
) -> None:
    """Apply one update to a unit and queue its ODF messages.

    Exit codes: 0 done, 1 refused (the reason and its code are printed), 2 bad input file.
    """
    settings: Settings = ctx.obj
    lines = _results(results) if results is not None else None
    try:
        change = UnitUpdate.model_validate(
            {
                "result_status": result_status,
                "schedule_status": schedule_status,
                "results": lines,
                "note": note,
            }
        )
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        console.print(escape(f"refused: {where}: {first['msg']}"))
        raise typer.Exit(code=1) from None
    planes = open_node(settings)
    try:
        with planes.games_session() as session:
            outcome = capture(session, unit, change, system_clock())
    except PodiumError as error:
        console.print(escape(f"refused: [{error.code}] {error}"))
        raise typer.Exit(code=1) from None
    finally:
        planes.dispose()
    console.print(
        escape(
            f"{outcome.unit}: {outcome.result_status or '-'} / {outcome.schedule_status};"
            f" queued {', '.join(outcome.documents) or 'nothing (no change)'}"
        )
    )
