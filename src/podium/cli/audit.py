"""`podium audit`: verify the sovereign plane's audit chain and sign checkpoints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from podium.cli.common import console, open_node
from podium.core.errors import PodiumError
from podium.core.settings import Settings

if TYPE_CHECKING:
    from podium.privacy.audit import VerifyReport

__all__ = ["app"]

app = typer.Typer(
    help="The audit log of the sovereign plane: verify its hash chain, sign checkpoints."
)


def _print_report(report: VerifyReport) -> None:
    """Print the problems as a table, then the one-line summary, on standard output."""
    out = Console()
    if report.problems:
        table = Table("seq", "kind", "detail", title="audit log problems")
        for problem in report.problems:
            table.add_row(str(problem.seq), problem.kind, escape(problem.detail))
        out.print(table)
    summary = f"{report.records} records, {report.checkpoints} checkpoints verified"
    if report.ok:
        unsealed = report.records - report.sealed
        out.print(f"{summary}: chain intact, {unsealed} records after the last checkpoint")
    else:
        more = f" ({report.omitted} more not listed)" if report.omitted else ""
        out.print(f"{summary}: {len(report.problems)} problems{more}")


def _as_json(report: VerifyReport) -> str:
    return json.dumps(
        {
            "ok": report.ok,
            "records": report.records,
            "checkpoints": report.checkpoints,
            "head": report.head,
            "sealed": report.sealed,
            "omitted": report.omitted,
            "problems": [
                {"seq": p.seq, "kind": p.kind, "detail": p.detail} for p in report.problems
            ],
        },
        indent=2,
    )


@app.command("verify")
def audit_verify(
    ctx: typer.Context,
    *,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON on standard output.")
    ] = False,
) -> None:
    """Recompute every hash and link and check every checkpoint; exit 1 on any problem.

    Checkpoint signatures are checked with the public keys of the key folder only
    (`<key store>/audit-public`), never with anything stored in the database.
    """
    from podium.privacy.audit import (  # noqa: PLC0415
        ANCHOR_FILE,
        load_anchor,
        trusted_public_keys,
        verify,
    )

    settings: Settings = ctx.obj
    try:
        keys = trusted_public_keys(settings.key_store())
        anchor = load_anchor(settings.key_store() / ANCHOR_FILE)
    except PodiumError as error:
        console.print(escape(f"cannot read the audit keys: {error}"))
        raise typer.Exit(code=2) from None
    if not keys:
        console.print(escape(f"no audit public keys in {settings.key_store()}/audit-public"))
    planes = open_node(settings)
    try:
        with planes.sovereign_session() as session:
            report = verify(session, keys, anchor=anchor)
    finally:
        planes.dispose()
    if as_json:
        typer.echo(_as_json(report))
    else:
        _print_report(report)
    if not report.ok:
        raise typer.Exit(code=1)


@app.command("checkpoint")
def audit_checkpoint(ctx: typer.Context) -> None:
    """Sign a checkpoint of the chain's head now with the key folder's Ed25519 key."""
    from podium.privacy.audit import ANCHOR_FILE, AuditLog, CheckpointSigner  # noqa: PLC0415

    settings: Settings = ctx.obj
    try:
        signer = CheckpointSigner.load_or_create(settings.key_store())
    except PodiumError as error:
        console.print(escape(f"cannot load the audit signing key: {error}"))
        raise typer.Exit(code=2) from None
    planes = open_node(settings)
    try:
        with planes.sovereign_session() as session:
            seq = AuditLog(signer, anchor=settings.key_store() / ANCHOR_FILE).checkpoint(session)
    except PodiumError as error:
        console.print(escape(f"no checkpoint written: {error}"))
        raise typer.Exit(code=1) from None
    finally:
        planes.dispose()
    if seq is None:
        typer.echo("the audit log is empty: nothing to seal")
    else:
        typer.echo(f"checkpoint of record {seq} signed with key {signer.key_id}")


@app.command("rotate-key")
def audit_rotate_key(ctx: typer.Context) -> None:
    """Replace the checkpoint signing key; earlier public keys stay trusted for verify."""
    from podium.privacy.audit import CheckpointSigner  # noqa: PLC0415

    settings: Settings = ctx.obj
    signer = CheckpointSigner.rotate(settings.key_store())
    typer.echo(f"new audit signing key {signer.key_id} in {settings.key_store()}")
