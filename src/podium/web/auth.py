"""Authentication of operators for the API and the staff pages (FastAPI dependencies).

An API client presents `Authorization: Bearer pdm_…` and declares its purpose with the
`X-Podium-Purpose` header; a member of staff signs in on `/staff/login` and carries the
`podium_session` cookie (HttpOnly, SameSite=Strict, Secure unless switched off for a
plain-HTTP test node), whose session row holds the purpose chosen at sign-in. Every
non-public route depends on `require_operator` or `require_scope`; a test enumerates the
routes and proves it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from podium.core.db import Planes
from podium.core.errors import AuthenticationError, PermissionDeniedError
from podium.privacy.operators import Principal, authenticate_token, scope_allows
from podium.privacy.policy import PolicyDecisionPoint
from podium.privacy.sessions import session_principal
from podium.privacy.spine import Spine

__all__ = [
    "COOKIE",
    "PURPOSE_HEADER",
    "CurrentOperator",
    "OptionalOperator",
    "SovereignSession",
    "SpineDep",
    "StaffSignInRequiredError",
    "optional_operator",
    "permit",
    "require_operator",
    "require_scope",
    "sovereign_session",
]

COOKIE = "podium_session"
PURPOSE_HEADER = "X-Podium-Purpose"


class StaffSignInRequiredError(AuthenticationError):
    """A staff page was asked for without a sign-in: answered by a redirect to the login."""

    code = "sign_in_required"


def sovereign_session(request: Request) -> Iterator[Session]:
    """Yield a sovereign-plane session in one transaction, committed when the request succeeds."""
    planes: Planes = request.app.state.planes
    with planes.sovereign_session() as session:
        yield session


SovereignSession = Annotated[Session, Depends(sovereign_session)]
"""A sovereign-plane session for one request (personal data, audit log)."""


def get_spine(request: Request) -> Spine:
    """Return the node's privacy services."""
    spine: Spine = request.app.state.spine
    return spine


SpineDep = Annotated[Spine, Depends(get_spine)]
"""The node's privacy services (policy, keys, cipher, audit log)."""


def _principal(request: Request, session: Session) -> Principal | None:
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError("use 'Authorization: Bearer <token>'")
        purpose = request.headers.get(PURPOSE_HEADER) or None
        return authenticate_token(session, token, purpose)
    cookie = request.cookies.get(COOKIE)
    if cookie:
        try:
            return session_principal(session, cookie)
        except AuthenticationError:
            return None
    return None


def optional_operator(request: Request, session: SovereignSession) -> Principal | None:
    """Return the signed-in operator, or None for a member of the public.

    Raises:
        AuthenticationError: a bearer token was presented and is not valid.
    """
    return _principal(request, session)


def require_operator(request: Request, session: SovereignSession) -> Principal:
    """Return the authenticated operator.

    Raises:
        StaffSignInRequiredError: a staff page (`/staff/…`) without a sign-in (redirected to login).
        AuthenticationError: any other route without valid credentials (HTTP 401).
    """
    principal = _principal(request, session)
    if principal is None:
        if request.url.path.startswith("/staff"):
            raise StaffSignInRequiredError("sign in to see this page")
        raise AuthenticationError("this endpoint needs an operator's API token or sign-in")
    return principal


OptionalOperator = Annotated[Principal | None, Depends(optional_operator)]
CurrentOperator = Annotated[Principal, Depends(require_operator)]


def permit(principal: Principal, scope: str, pdp: PolicyDecisionPoint) -> None:
    """Refuse a token without `scope`, or a staff session whose roles do not grant it.

    A token carries the scopes it was issued; a staff sign-in session carries none, and
    its roles grant scopes by the policy's `[role_scopes]` table (`podium/privacy/policy.toml`,
    least privilege per role). Which personal fields a route then shows is still decided
    by the policy decision point, field by field.

    Args:
        principal: the operator.
        scope: `domain:resource:action`, what the route needs.
        pdp: the node's policy decision point (its `[role_scopes]`).

    Raises:
        PermissionDeniedError: `scope_missing` (token) or `role_missing` (session), HTTP 403.
    """
    if principal.scopes is None:
        if not scope_allows(pdp.session_scopes(principal.roles), scope):
            wanted = ", ".join(sorted(pdp.roles_granting(scope))) or "(none)"
            raise PermissionDeniedError(
                f"this page or route needs the scope {scope}, granted to the roles {wanted}",
                code="role_missing",
            )
        return
    if not principal.allows(scope):
        raise PermissionDeniedError(f"this token lacks the scope {scope}", code="scope_missing")


def require_scope(scope: str) -> Callable[[Principal, Spine], Principal]:
    """Return a dependency that admits a token carrying `scope`, or a session granted it.

    Args:
        scope: `domain:resource:action`, e.g. `people:person:read` (see `permit`).

    Raises:
        PermissionDeniedError: (from the dependency) `scope_missing` or `role_missing` (403).
    """

    def dependency(principal: CurrentOperator, spine: SpineDep) -> Principal:
        permit(principal, scope, spine.pdp)
        return principal

    return dependency
