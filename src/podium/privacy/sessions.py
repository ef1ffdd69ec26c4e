"""Staff sign-in sessions: opened with a password, carried by a cookie, ended by sign-out.

The cookie value is a 256-bit random value stored only as its SHA-256 hash (a slow hash
adds nothing to a value that cannot be guessed); each session carries its CSRF token and
the purpose declared for it (GDPR Art. 5(1)(b)). Disabling an operator
(`podium.privacy.operators.disable_operator`) closes every session of the account.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, Session

from podium.core.categories import DataCategory, column
from podium.core.clock import system_clock as utc_now
from podium.core.db import SovereignBase
from podium.core.errors import AuthenticationError, InvalidInputError
from podium.core.types import UtcDateTime
from podium.privacy.operators import Operator, Principal, build_principal, split_names

__all__ = [
    "SESSION_LIFETIME",
    "WebSession",
    "close_web_session",
    "open_web_session",
    "session_principal",
    "set_session_purpose",
]

_SECRET = DataCategory.CREDENTIAL
_SYS = DataCategory.SYSTEM

SESSION_LIFETIME = timedelta(hours=8)
"""A staff sign-in lasts one working shift."""


class WebSession(SovereignBase):
    """A staff sign-in session; the cookie value is kept only as a SHA-256 hash."""

    __tablename__ = "web_session"

    id_hash: Mapped[str] = column(_SECRET, String(64), primary_key=True)
    operator_id: Mapped[str] = column(DataCategory.PSEUDONYM, ForeignKey("operator.id"), index=True)
    csrf_token: Mapped[str] = column(_SECRET, String(64))
    purpose: Mapped[str | None] = column(_SYS, String(40))
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime)
    expires_at: Mapped[datetime] = column(_SYS, UtcDateTime)


def _hash_session(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_web_session(session: Session, operator: Operator, purpose: str | None) -> str:
    """Open a sign-in session and return the cookie value (kept only as its hash).

    Args:
        session: a sovereign-plane session (the caller commits).
        operator: the signed-in operator.
        purpose: the purpose declared for the session; must be one the operator may use.

    Raises:
        InvalidInputError: the purpose is not one of the operator's (`purpose_not_permitted`).
    """
    if purpose is not None and purpose not in split_names(operator.purposes):
        raise InvalidInputError(
            f"purpose {purpose!r} is not one of this operator's purposes",
            code="purpose_not_permitted",
        )
    token = secrets.token_urlsafe(32)
    now = utc_now()
    session.add(
        WebSession(
            id_hash=_hash_session(token),
            operator_id=operator.id,
            csrf_token=secrets.token_urlsafe(32),
            purpose=purpose,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.flush()
    return token


def session_principal(session: Session, token: str) -> Principal:
    """Return the principal of a sign-in session cookie.

    Raises:
        AuthenticationError: unknown or expired session, or a disabled operator.
    """
    row = session.execute(
        select(WebSession, Operator)
        .join(Operator, Operator.id == WebSession.operator_id)
        .where(WebSession.id_hash == _hash_session(token))
    ).one_or_none()
    if row is None:
        raise AuthenticationError("not signed in")
    web_session, operator = row
    if web_session.expires_at <= utc_now() or operator.disabled_at is not None:
        raise AuthenticationError("the sign-in session has ended")
    return build_principal(
        operator, None, purpose=web_session.purpose, csrf_token=web_session.csrf_token
    )


def close_web_session(session: Session, token: str) -> None:
    """Close a sign-in session (sign-out); closing an unknown one does nothing."""
    session.query(WebSession).filter(WebSession.id_hash == _hash_session(token)).delete()


def set_session_purpose(session: Session, token: str, purpose: str) -> None:
    """Change the purpose declared for a sign-in session (GDPR Art. 5(1)(b)).

    Raises:
        AuthenticationError: unknown or ended session.
        InvalidInputError: the purpose is not one of the operator's (`purpose_not_permitted`).
    """
    principal = session_principal(session, token)
    if purpose not in principal.purposes:
        raise InvalidInputError(
            f"purpose {purpose!r} is not one of this operator's purposes",
            code="purpose_not_permitted",
        )
    session.execute(
        update(WebSession).where(WebSession.id_hash == _hash_session(token)).values(purpose=purpose)
    )
