"""`podium odf`: export the Games' ODF messages and validate any ODF file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from podium.cli.common import console, open_node, require_games_data
from podium.core.settings import Settings

__all__ = ["odf_app"]

odf_app = typer.Typer(help="ODF messages: export and validate.")


def _prepare(outdir: Path, *, replace: bool) -> None:
    """Make sure `outdir` is a folder with no earlier export in it (or clear that one)."""
    from podium.odf import FILENAME_PATTERN  # noqa: PLC0415

    if outdir.exists() and not outdir.is_dir():
        console.print(escape(f"{outdir} is a file, not a folder"))
        raise typer.Exit(code=1)
    outdir.mkdir(parents=True, exist_ok=True)
    earlier = [p for p in outdir.iterdir() if FILENAME_PATTERN.fullmatch(p.name)]
    if earlier and not replace:
        console.print(
            escape(
                f"{outdir} already holds {len(earlier)} ODF messages; use --replace to"
                " remove them first, or choose an empty folder"
            )
        )
        raise typer.Exit(code=1)
    for path in earlier:
        path.unlink()


@odf_app.command("export")
def odf_export(
    ctx: typer.Context,
    outdir: Annotated[Path, typer.Argument(help="Folder to write the messages into.")],
    *,
    replace: Annotated[
        bool, typer.Option(help="Remove the ODF messages of an earlier export first.")
    ] = False,
) -> None:
    """Write every ODF message of the Games, one file each, named per Foundation Principles §8.4.

    Messages are dated when what they describe happened (a result when its unit ended),
    so the same data always gives the same files.
    """
    from podium.diffusion import feed_context, iter_messages  # noqa: PLC0415
    from podium.odf import message_filename, parse_message  # noqa: PLC0415

    settings: Settings = ctx.obj
    _prepare(outdir, replace=replace)
    planes = open_node(settings)
    count = 0
    try:
        require_games_data(planes, settings)
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
            errors = [f"{path}:{e.line}: {e.message}" for e in validate_file(path)]
        except OdfReadError as error:
            errors = [str(error)]
        if errors:
            invalid += 1
            for line in errors:
                typer.echo(line)
        else:
            typer.echo(f"{path}: valid")
    if invalid:
        typer.echo(f"{invalid} of {len(files)} files are not valid ODF")
        raise typer.Exit(code=1)
