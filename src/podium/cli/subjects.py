"""`podium subject|request|retention|privacy …`: data-subject rights on the sovereign host.

Run by the DPO's staff on the sovereign host; audited as the `system` operator. Bad
input ends with one line `[code] message` and exit status 1.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from podium.cli.common import console, open_node_spine
from podium.core.clock import system_clock
from podium.core.db import Planes
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.privacy.policy import load_policy
from podium.privacy.spine import Spine
from podium.subjects import (
    KINDS,
    Completion,
    catalog_problems,
    complete_request,
    erase_subject,
    export_subject,
    extend_request,
    lift_hold,
    lift_restriction,
    list_requests,
    place_hold,
    records_of_processing,
    rectify,
    register_request,
    restrict,
    ropa_markdown,
    run_retention,
    write_export,
)

__all__ = ["privacy_app", "request_app", "retention_app", "subject_app"]

subject_app = typer.Typer(help="A data subject: export, rectify, erase, restrict, legal holds.")
request_app = typer.Typer(help="The register of data-subject requests and their deadlines.")
retention_app = typer.Typer(help="Erase personal data whose retention period has passed.")
privacy_app = typer.Typer(help="Records of processing and the data-category catalog check.")

_OPERATOR = "system"
_out = Console()


@contextmanager
def _node(ctx: typer.Context) -> Iterator[tuple[Planes, Spine, Settings]]:
    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        yield planes, spine, settings
    except PodiumError as error:
        console.print(escape(f"[{error.code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    finally:
        spine.close()
        planes.dispose()


def _run(ctx: typer.Context, action: Callable[[Planes, Spine, Settings], str]) -> None:
    with _node(ctx) as (planes, spine, settings):
        _out.print(escape(action(planes, spine, settings)), soft_wrap=True)


Subject = Annotated[str, typer.Argument(help="ODF participant code or subject ID.")]


@subject_app.command("export")
def subject_export(
    ctx: typer.Context,
    subject: Subject,
    out: Annotated[Path, typer.Option(help="Folder for the JSON and HTML files.")] = Path(),
) -> None:
    """Export everything held on a subject, as JSON and HTML (GDPR Art. 15, 20)."""

    def act(planes: Planes, spine: Spine, settings: Settings) -> str:
        export = export_subject(planes, spine, subject, operator=_OPERATOR, settings=settings)
        json_path, html_path = write_export(export, out)
        return f"{export.row_count()} rows in {len(export.tables)} tables: {json_path}, {html_path}"

    _run(ctx, act)


@subject_app.command("rectify")
def subject_rectify(
    ctx: typer.Context,
    subject: Subject,
    field: Annotated[str, typer.Option(help="full_name or birth_date.")],
    value: Annotated[str, typer.Option(help="The correct value (a date as YYYY-MM-DD).")],
    request: Annotated[str | None, typer.Option(help="The request it answers.")] = None,
) -> None:
    """Correct a protected field and seal it again (GDPR Art. 16)."""
    _run(
        ctx,
        lambda planes, spine, _s: (
            "rectified "
            + ", ".join(
                rectify(planes, spine, subject, {field: value}, _OPERATOR, request_id=request)
            )
        ),
    )


@subject_app.command("erase")
def subject_erase(
    ctx: typer.Context,
    subject: Subject,
    request: Annotated[str | None, typer.Option(help="The request it answers.")] = None,
) -> None:
    """Erase a subject: delete and crypto-shred, keep what the law keeps (GDPR Art. 17)."""

    def act(planes: Planes, spine: Spine, _settings: Settings) -> str:
        outcome = erase_subject(planes, spine, subject, _OPERATOR, request)
        table = Table("plane", "table", "category", "action", "rows", "reason", title="erasure")
        for i in outcome.items:
            table.add_row(i.plane, i.table, i.category, i.action, str(i.rows), escape(i.reason))
        _out.print(table)
        return outcome.summary()

    _run(ctx, act)


@subject_app.command("restrict")
def subject_restrict(
    ctx: typer.Context,
    subject: Subject,
    reason: Annotated[str, typer.Option(help="The ground of Art. 18(1).")],
) -> None:
    """Restrict processing: only the subject's requests and legal claims (GDPR Art. 18)."""
    _run(
        ctx,
        lambda planes, spine, _s: (
            "restricted " + restrict(planes, spine, subject, reason, _OPERATOR)
        ),
    )


@subject_app.command("lift")
def subject_lift(ctx: typer.Context, subject: Subject) -> None:
    """Lift a subject's restriction of processing (GDPR Art. 18(3))."""
    _run(
        ctx,
        lambda planes, spine, _s: (
            "restriction lifted"
            if lift_restriction(planes, spine, subject, _OPERATOR)
            else "no restriction was in place"
        ),
    )


@subject_app.command("hold")
def subject_hold(
    ctx: typer.Context,
    subject: Subject,
    reason: Annotated[str, typer.Option(help="The claim or obligation.")],
    category: Annotated[
        list[str] | None, typer.Option(help="A data category held; repeat; default all.")
    ] = None,
) -> None:
    """Place a legal hold: held categories survive erasure (GDPR Art. 17(3)(b), (e))."""
    _run(
        ctx,
        lambda planes, spine, _s: (
            "legal hold "
            + str(place_hold(planes, spine, subject, reason, _OPERATOR, categories=category))
        ),
    )


@subject_app.command("unhold")
def subject_unhold(
    ctx: typer.Context, hold_id: Annotated[int, typer.Argument(help="The hold's number.")]
) -> None:
    """Lift a legal hold."""
    _run(
        ctx,
        lambda planes, spine, _s: "hold lifted on " + lift_hold(planes, spine, hold_id, _OPERATOR),
    )


@request_app.command("register")
def request_register(
    ctx: typer.Context,
    subject: Subject,
    kind: Annotated[str, typer.Option(help=f"One of: {', '.join(KINDS)}.")],
) -> None:
    """Register a request; its deadline is one month after receipt (GDPR Art. 12(3))."""

    def act(planes: Planes, spine: Spine, _settings: Settings) -> str:
        view = register_request(planes, spine, subject, kind, operator=_OPERATOR)
        return f"{view.id} {view.kind}, due on {view.deadline}"

    _run(ctx, act)


@request_app.command("list")
def request_list(
    ctx: typer.Context,
    *,
    open_only: Annotated[bool, typer.Option("--open", help="Open requests only.")] = False,
) -> None:
    """List requests with their deadline, days left and whether overdue."""

    def act(planes: Planes, _spine: Spine, _settings: Settings) -> str:
        views = list_requests(planes, system_clock().date(), open_only=open_only)
        table = Table(
            "id",
            "subject",
            "kind",
            "status",
            "received",
            "deadline",
            "days left",
            "overdue",
            title="data-subject requests",
        )
        for v in views:
            table.add_row(
                v.id,
                v.subject_id,
                v.kind,
                v.status,
                str(v.received_on),
                str(v.deadline) + (" (extended)" if v.extended else ""),
                str(v.days_left),
                "OVERDUE" if v.overdue else "",
            )
        _out.print(table)
        return f"{len(views)} requests, {sum(v.overdue for v in views)} overdue"

    _run(ctx, act)


@request_app.command("extend")
def request_extend(
    ctx: typer.Context,
    request: Annotated[str, typer.Argument(help="DSR-000001")],
    reason: Annotated[str, typer.Option(help="Why it needs two more months.")],
) -> None:
    """Extend a request's deadline by two further months (GDPR Art. 12(3))."""
    _run(
        ctx,
        lambda planes, spine, _s: (
            "extended to "
            + str(extend_request(planes, spine, request, reason, operator=_OPERATOR).deadline)
        ),
    )


@request_app.command("complete")
def request_complete(  # noqa: PLR0913 - one option per input of the action
    ctx: typer.Context,
    request: Annotated[str, typer.Argument(help="DSR-000001")],
    *,
    outcome: Annotated[str | None, typer.Option(help="What was done, in words.")] = None,
    run: Annotated[bool, typer.Option(help="Run the erasure, export, rectification.")] = False,
    out: Annotated[Path | None, typer.Option(help="Folder for an export's files.")] = None,
    field: Annotated[str | None, typer.Option(help="Rectification: the field.")] = None,
    value: Annotated[str | None, typer.Option(help="Rectification: the value.")] = None,
) -> None:
    """Complete a request, optionally running what it asks for."""
    changes = {field: value} if field is not None and value is not None else {}

    def act(planes: Planes, spine: Spine, settings: Settings) -> str:
        how = Completion(outcome=outcome, run=run, changes=changes, outdir=out, settings=settings)
        view = complete_request(planes, spine, request, how, operator=_OPERATOR)
        return f"{view.id} {view.status}: {view.outcome}"

    _run(ctx, act)


@retention_app.command("run")
def retention_run(
    ctx: typer.Context,
    *,
    dry_run: Annotated[bool, typer.Option(help="Report only; change nothing.")] = False,
) -> None:
    """Erase personal data whose retention period after the Games has passed."""

    def act(planes: Planes, spine: Spine, settings: Settings) -> str:
        items = run_retention(
            planes,
            spine,
            system_clock(),
            settings.retention_days,
            games_end=settings.games_end,
            dry_run=dry_run,
        )
        table = Table(
            "category",
            "table",
            "column",
            "action",
            "count",
            "kept until",
            title="retention" + (" (dry run)" if dry_run else ""),
        )
        for i in items:
            table.add_row(i.category, i.table, i.column, i.action, str(i.count), str(i.expires_on))
        _out.print(table)
        verb = "would change" if dry_run else "changed"
        return f"{len(items)} items due; {verb} {sum(i.count for i in items)}"

    _run(ctx, act)


class RopaFormat(enum.StrEnum):
    """How `podium privacy ropa` writes the records."""

    MD = "md"
    JSON = "json"


@privacy_app.command("ropa")
def privacy_ropa(
    ctx: typer.Context,
    output_format: Annotated[RopaFormat, typer.Option("--format")] = RopaFormat.MD,
    out: Annotated[Path | None, typer.Option(help="File to write; default stdout.")] = None,
) -> None:
    """Write the records of processing activities (GDPR Art. 30(1))."""
    settings: Settings = ctx.obj
    try:
        ropa = records_of_processing(load_policy(settings.policy_file), settings)
    except PodiumError as error:
        console.print(escape(f"[{error.code}] {error}"), soft_wrap=True)
        raise typer.Exit(code=1) from None
    text = (
        ropa_markdown(ropa)
        if output_format is RopaFormat.MD
        else json.dumps(ropa.to_json(), ensure_ascii=False, indent=2) + "\n"
    )
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(escape(f"records of processing written to {out}"))


@privacy_app.command("check")
def privacy_check() -> None:
    """Check the data-category catalog against both planes; exit 1 on any problem."""
    problems = catalog_problems()
    for problem in problems:
        console.print(escape(f"[catalog_problem] {problem}"), soft_wrap=True)
    if problems:
        raise typer.Exit(code=1)
    _out.print("catalog check passed: every column categorised, sealed and linked")
