"""`podium operator …` and `podium keys …`: accounts, API tokens and master-key rotation.

These commands run on the sovereign host by whoever administers it; they are audited
as the `system` operator.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from podium.cli.common import console, open_node, open_node_spine
from podium.core.errors import PodiumError
from podium.core.settings import Settings
from podium.privacy.access import record_write
from podium.privacy.keys import MasterKeyring, rotate_master_key
from podium.privacy.operators import (
    SCOPES,
    create_operator,
    disable_operator,
    find_operator,
    issue_token,
    list_operators,
)

__all__ = ["keys_app", "operator_app"]

operator_app = typer.Typer(help="Operator accounts and their API tokens.")
keys_app = typer.Typer(help="The key store: master-key rotation.")


def _fail(error: PodiumError) -> typer.Exit:
    console.print(escape(f"[{error.code}] {error}"), soft_wrap=True)
    return typer.Exit(code=1)


@operator_app.command("create")
def operator_create(  # noqa: PLR0913 - one option per account attribute
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Sign-in name (lower case).")],
    *,
    name: Annotated[str, typer.Option(help="Name shown on staff pages.")],
    country: Annotated[str, typer.Option(help="Home country, ISO 3166-1 alpha-2 (FR, US).")],
    organisation: Annotated[str, typer.Option(help="Employer organisation.")],
    role: Annotated[list[str], typer.Option(help="A role of the policy; repeat for more.")],
    purpose: Annotated[
        list[str], typer.Option(help="A purpose the operator may declare; repeat for more.")
    ],
    password: Annotated[
        str | None, typer.Option(help="Sign-in password (asked for when omitted).")
    ] = None,
    api_only: Annotated[bool, typer.Option(help="No sign-in password: API tokens only.")] = False,
) -> None:
    """Create an operator account with its home country, employer, roles and purposes."""
    settings: Settings = ctx.obj
    if password is None and not api_only:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    planes, spine = open_node_spine(settings)
    try:
        with planes.sovereign_session() as session:
            operator = create_operator(
                session,
                username=username,
                display_name=name,
                home_country=country,
                organisation=organisation,
                roles=role,
                purposes=purpose,
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=None if api_only else password,
            )
            record_write(
                spine,
                session,
                operator="system",
                action="privacy.operator.create",
                subject=operator.id,
                fields=("username", "roles", "purposes", "home_country", "organisation"),
                purpose="security",
            )
            console.print(
                escape(f"created {operator.username} ({operator.id}), region {operator.region}")
            )
    except PodiumError as error:
        raise _fail(error) from None
    finally:
        planes.dispose()
        spine.close()


@operator_app.command("list")
def operator_list(ctx: typer.Context) -> None:
    """List operator accounts with their region, roles and purposes."""
    settings: Settings = ctx.obj
    planes = open_node(settings)
    try:
        with planes.sovereign_session() as session:
            table = Table(title="Operators")
            for heading in (
                "username",
                "name",
                "country",
                "region",
                "organisation",
                "roles",
                "purposes",
                "status",
            ):
                table.add_column(heading)
            for o in list_operators(session):
                table.add_row(
                    o.username,
                    o.display_name,
                    o.home_country,
                    o.region.value,
                    o.organisation,
                    o.roles,
                    o.purposes,
                    "disabled" if o.disabled_at else "active",
                )
            Console().print(table)
    finally:
        planes.dispose()


@operator_app.command("disable")
def operator_disable(
    ctx: typer.Context, username: Annotated[str, typer.Argument(help="Sign-in name.")]
) -> None:
    """Disable an operator: sign-in refused, every token revoked, every session closed."""
    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        with planes.sovereign_session() as session:
            operator = disable_operator(session, username)
            record_write(
                spine,
                session,
                operator="system",
                action="privacy.operator.disable",
                subject=operator.id,
                fields=("disabled_at",),
                purpose="security",
            )
        console.print(escape(f"disabled {username}: its tokens and sessions are revoked"))
    except PodiumError as error:
        raise _fail(error) from None
    finally:
        planes.dispose()
        spine.close()


@operator_app.command("token")
def operator_token(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="Sign-in name of the token's operator.")],
    scope: Annotated[
        list[str],
        typer.Option(help=f"A scope, domain:resource:action; one of {', '.join(SCOPES)}."),
    ],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "api",
    days: Annotated[int, typer.Option(help="Validity in days.", min=1, max=3650)] = 90,
) -> None:
    """Issue an API token; it is printed once on standard output and stored only as a hash."""
    from datetime import timedelta  # noqa: PLC0415

    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        with planes.sovereign_session() as session:
            token = issue_token(session, username, scope, name=name, lifetime=timedelta(days=days))
            record_write(
                spine,
                session,
                operator="system",
                action="privacy.token.issue",
                subject=find_operator(session, username).id,  # the account id, never a name
                fields=("scopes",),
                purpose="security",
            )
    except PodiumError as error:
        raise _fail(error) from None
    finally:
        planes.dispose()
        spine.close()
    typer.echo(token)


@keys_app.command("rotate")
def keys_rotate(ctx: typer.Context) -> None:
    """Add a new master key and re-wrap every subject key under it (the old key stays)."""
    settings: Settings = ctx.obj
    planes, spine = open_node_spine(settings)
    try:
        keyring: MasterKeyring = rotate_master_key(settings.key_store())
        count = spine.keys.rewrap_all(keyring)
    except PodiumError as error:
        raise _fail(error) from None
    finally:
        planes.dispose()
        spine.close()
    console.print(
        escape(f"master key {keyring.active_id} is active; {count} subject keys re-wrapped")
    )
