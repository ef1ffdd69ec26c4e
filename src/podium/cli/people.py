"""`podium people import|register|photo`: registration of people on the sovereign host.

Run by the accreditation staff on the host; audited as the `system` operator. A file
that cannot be read at all ends with one line `[code] message` and exit status 1; an
import prints its report (every rejected row with line, column and code) and exits 1
when rows were rejected, 0 otherwise.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from podium.accreditation import (
    BulkImportRejectedError,
    BulkOptions,
    BulkReport,
    RegistrationError,
    import_people,
    read_people_csv,
    register_person,
    set_photo,
)
from podium.cli.common import console, open_node_spine
from podium.core.db import Planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.people import REGISTRATION_FIELDS
from podium.privacy.spine import Spine

__all__ = ["people_app"]

people_app = typer.Typer(help="People: register them and their accreditation applications.")

_PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png")
_SHOWN_REJECTIONS = 200


@contextmanager
def _node(ctx: typer.Context) -> Iterator[tuple[Planes, Spine]]:
    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        yield planes, spine
    except PodiumError as error:
        console.print(escape(f"[{error.code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        spine.close()
        planes.dispose()


def _photos(folder: Path | None) -> dict[str, bytes]:
    if folder is None:
        return {}
    return {
        path.stem: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.suffix.lower() in _PHOTO_SUFFIXES
    }


def print_report(report: BulkReport, *, strict: bool = False) -> None:
    """Print a bulk report: counts, then a table of the rejected rows (first 200)."""
    written = (
        "nothing written (strict)" if strict and report.rejected else f"{report.written} written"
    )
    console.print(
        escape(
            f"{report.source}: {report.received} rows, {written}, "
            f"{report.already_registered} already registered, "
            f"{report.rejected_rows} rows rejected"
        ),
        soft_wrap=True,
    )
    if not report.rejected:
        return
    table = Table("line", "column", "code", "reference", "problem", title="Rejected rows")
    for item in report.rejected[:_SHOWN_REJECTIONS]:
        table.add_row(
            str(item.line), item.column, item.code, item.reference or "", escape(item.message)
        )
    console.print(table)
    if len(report.rejected) > _SHOWN_REJECTIONS:
        console.print(f"... and {len(report.rejected) - _SHOWN_REJECTIONS} more (see --report)")


@people_app.command("import")
def people_import(  # noqa: PLR0913 - one option per flag of the command
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV file, UTF-8, header row.", exists=True)],
    organisation: Annotated[str, typer.Option(help="Responsible organisation (FRA, WA...).")],
    *,
    strict: Annotated[
        bool, typer.Option(help="All or nothing: any bad row, nothing written.")
    ] = False,
    photos: Annotated[
        Path | None, typer.Option(help="Folder of portraits named <reference>.jpg|.png.")
    ] = None,
    report: Annotated[Path | None, typer.Option(help="Also save the report as JSON.")] = None,
) -> None:
    """Register the people of a CSV file and apply for their accreditations.

    Columns: reference, organisation (optional), family_name, given_names, gender,
    birth_date, nationality, document_type, document_number, document_expiry, email,
    function, category.
    """
    with _node(ctx) as (planes, spine):
        rows = read_people_csv(file.read_bytes(), file.name)
        options = BulkOptions(organisation, strict=strict, source=file.name, photos=_photos(photos))
        try:
            outcome = import_people(planes, spine, None, rows, options)
        except BulkImportRejectedError as refused:
            outcome = refused.report
    if report is not None:
        report.write_text(outcome.to_json(), encoding="utf-8")
    print_report(outcome, strict=strict)
    if outcome.rejected:
        raise typer.Exit(code=1)


@people_app.command("register")
def people_register(
    ctx: typer.Context,
    fields: Annotated[
        list[str],
        typer.Argument(help=f"field=value pairs; fields: {', '.join(REGISTRATION_FIELDS)}"),
    ],
    photo: Annotated[Path | None, typer.Option(help="Portrait file (JPEG or PNG).")] = None,
) -> None:
    """Register one person and apply for their accreditation (status applied)."""
    values = dict(item.partition("=")[::2] for item in fields)
    with _node(ctx) as (planes, spine):
        try:
            outcome = register_person(
                planes, spine, None, values, photo=photo.read_bytes() if photo else None
            )
        except RegistrationError as error:
            for problem in error.problems:
                console.print(escape(f"[{problem.code}] {problem.column}: {problem.message}"))
            raise typer.Exit(code=1) from None
    state = "registered" if outcome.created else "already registered"
    console.print(
        f"{state}: subject {outcome.subject_id}, accreditation {outcome.accreditation_id}"
    )


@people_app.command("photo")
def people_photo(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(help="The person's subject ID.")],
    file: Annotated[Path, typer.Argument(help="Portrait file (JPEG or PNG).", exists=True)],
) -> None:
    """Store a registered person's portrait after checking it (format, size, dimensions)."""
    with _node(ctx) as (planes, spine):
        media_type = set_photo(planes, spine, None, subject, file.read_bytes())
    console.print(f"photo stored for {subject} ({media_type})")
