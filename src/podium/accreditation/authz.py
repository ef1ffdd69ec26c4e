"""Who may take which accreditation step, and on whose people.

A token must carry the step's scope; a staff sign-in session (no scopes) must hold the
step's role. An operator of the organising committee (an organisation of kind `ocog`,
`PARIS2024`) acts on every accreditation; any other operator acts only on the people
of its own organisation (a NOC's operator on its NOC's delegation). A command run on
the host (no principal) acts as `system`.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.accreditation.errors import OrganisationScopeError
from podium.accreditation.models import Organisation
from podium.core.errors import PermissionDeniedError
from podium.privacy.operators import Principal

__all__ = [
    "APPLICATION_READ",
    "APPLICATION_WRITE",
    "OFFICER_ROLE",
    "SYSTEM",
    "VETTING_ROLE",
    "VETTING_WRITE",
    "actor_id",
    "organisation_limit",
    "require",
]

APPLICATION_READ = "accreditation:application:read"
APPLICATION_WRITE = "accreditation:application:write"
VETTING_WRITE = "accreditation:vetting:write"
OFFICER_ROLE = "accreditation-officer"
VETTING_ROLE = "vetting-officer"
SYSTEM = "system"
"""The audit log's operator for a command run on the host."""


def actor_id(principal: Principal | None) -> str:
    """Return the operator id the audit log and the history record (`system` on the host)."""
    return SYSTEM if principal is None else principal.operator_id


def require(principal: Principal | None, scope: str, role: str) -> None:
    """Refuse a principal without the step's scope (token) or role (staff session).

    Raises:
        PermissionDeniedError: `scope_missing` or `role_missing`.
    """
    if principal is None:
        return
    if principal.scopes is not None:
        if not principal.allows(scope):
            raise PermissionDeniedError(f"this token lacks the scope {scope}", code="scope_missing")
        return
    if role not in principal.roles:
        raise PermissionDeniedError(f"this step needs the role {role}", code="role_missing")


def organisation_limit(games: Session, principal: Principal | None) -> str | None:
    """Return the organisation a principal is limited to, or None for every organisation.

    Args:
        games: a games-plane session.
        principal: the operator, or None for the host.
    """
    if principal is None:
        return None
    kind = games.scalar(
        select(Organisation.kind).where(Organisation.code == principal.organisation)
    )
    return None if kind == "ocog" else (principal.organisation or "")


def check_organisation(limit: str | None, organisation_code: str, number: int) -> None:
    """Refuse an operator limited to `limit` acting on another organisation's person.

    Raises:
        OrganisationScopeError: code `organisation_forbidden` (HTTP 403).
    """
    if limit is not None and organisation_code != limit:
        raise OrganisationScopeError(
            f"accreditation {number} belongs to organisation {organisation_code}; "
            f"this operator acts only for {limit or 'no organisation'}"
        )
