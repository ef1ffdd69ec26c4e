"""Fan accounts: sign-up, sign-in, sign-in sessions, and the fan's own record.

The games plane knows a fan only as `fan_<16 hex>`; the name and e-mail address are sealed
in the sovereign plane under that id (crypto-shredded with the subject's keys, GDPR
Art. 17, 32). Sign-in finds the account through a blind index of the e-mail address:
HMAC-SHA-256 under the installation's pseudonymisation key of the address in lower case,
truncated to 128 bits (exact lookup only; the same design as
`podium.people.registration.name_index`). The password is kept as an Argon2id hash
(RFC 9106), as for operators. A fan session cookie is a 256-bit random value kept only as
its SHA-256 hash (as `podium.privacy.sessions`), with its CSRF token.

Fan authentication for the API: the cookie `podium_fan` or `Authorization: Bearer <value>`
carry the same session value (`podium.api.ticketing_routes`); the fan pages call
`fan_session` directly.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.core.errors import InvalidInputError
from podium.privacy.audit import AuditEntry
from podium.privacy.spine import Spine
from podium.ticketing.errors import FanAuthenticationError, TicketingNotFoundError
from podium.ticketing.models import FanAccount, FanPersonal, FanWebSession

__all__ = [
    "FAN_COOKIE",
    "FAN_SESSION_LIFETIME",
    "FanProfile",
    "FanSession",
    "NewFan",
    "authenticate_fan",
    "close_fan_session",
    "create_fan_account",
    "email_index",
    "fan_profile",
    "fan_session",
    "open_fan_session",
]

FAN_COOKIE = "podium_fan"
"""Name of the fan sign-in cookie."""
FAN_SESSION_LIFETIME = timedelta(days=7)
"""A fan stays signed in for a week."""
MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()
# Verified against when the address is unknown, so a wrong address costs the same time.
_DUMMY_HASH = _HASHER.hash("not-a-password-of-anyone")


@dataclass(frozen=True, slots=True)
class NewFan:
    """What a fan gives to sign up."""

    email: str
    password: str
    full_name: str


@dataclass(frozen=True, slots=True)
class FanSession:
    """A signed-in fan: the account id and the session's CSRF token."""

    account_id: str
    csrf_token: str


@dataclass(frozen=True, slots=True)
class FanProfile:
    """A fan's own record, opened for the fan."""

    account_id: str
    email: str | None
    full_name: str | None


def _normal_email(email: str) -> str:
    return email.strip().lower()


def email_index(key: bytes, email: str) -> str:
    """Return the blind index of an e-mail address (32 hex characters), see the module docstring."""
    message = b"podium.fan-email.v1|" + _normal_email(email).encode("utf-8")
    return hmac.digest(key, message, hashlib.sha256).hex()[:32]


def _check_new(fan: NewFan) -> None:
    email = _normal_email(fan.email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254:
        raise InvalidInputError(
            f"email: {fan.email!r} is not an e-mail address", code="email_invalid"
        )
    if len(fan.password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"password: at least {MIN_PASSWORD_LENGTH} characters", code="password_too_short"
        )
    if not fan.full_name.strip() or len(fan.full_name) > 160:
        raise InvalidInputError("full_name: 1-160 characters", code="name_invalid")


def create_fan_account(
    games: Session, sovereign: Session, spine: Spine, fan: NewFan, now: datetime
) -> str:
    """Create a fan account: the pseudonymous id in the games plane, the rest sealed.

    Args:
        games: a games-plane session (the caller commits).
        sovereign: a sovereign-plane session (the caller commits; audit joins it).
        spine: the node's privacy services (cipher, pseudonymisation key, audit).
        fan: e-mail, password, name.
        now: the time of sign-up.

    Returns:
        The account id, `fan_` + 16 hex.

    Raises:
        InvalidInputError: `email_invalid`, `password_too_short`, `name_invalid`,
            `email_taken`.
    """
    _check_new(fan)
    index = email_index(spine.pseudonym_key, fan.email)
    if sovereign.scalar(select(FanPersonal.account_id).where(FanPersonal.email_index == index)):
        raise InvalidInputError("email: an account already uses this address", code="email_taken")
    account = f"fan_{secrets.token_hex(8)}"
    seal = spine.cipher.seal
    games.add(FanAccount(id=account, created_at=now, lock_version=0))
    sovereign.add(
        FanPersonal(
            account_id=account,
            full_name=seal(
                account,
                DataCategory.IDENTITY.value,
                "fan_personal.full_name",
                fan.full_name.strip(),
            ),
            email=seal(
                account, DataCategory.CONTACT.value, "fan_personal.email", _normal_email(fan.email)
            ),
            email_index=index,
            password_hash=_HASHER.hash(fan.password),
            created_at=now,
        )
    )
    games.flush()
    sovereign.flush()
    spine.audit.append(
        sovereign,
        [
            AuditEntry(
                operator=account,
                action="ticketing.fan.create",
                subject=account,
                fields=("email", "full_name", "password_hash"),
                purpose="ticketing",
                decision="write",
            )
        ],
        at=now,
    )
    return account


def authenticate_fan(sovereign: Session, spine: Spine, email: str, password: str) -> str:
    """Return the account id of an e-mail address and password.

    Raises:
        FanAuthenticationError: unknown address or wrong password (`fan_credentials_invalid`;
            the two are not told apart).
    """
    row = sovereign.execute(
        select(FanPersonal.account_id, FanPersonal.password_hash).where(
            FanPersonal.email_index == email_index(spine.pseudonym_key, email)
        )
    ).one_or_none()
    try:
        _HASHER.verify(row[1] if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        row = None
    if row is None:
        raise FanAuthenticationError(
            "wrong e-mail address or password", code="fan_credentials_invalid"
        )
    return str(row[0])


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_fan_session(sovereign: Session, account_id: str, now: datetime) -> str:
    """Open a fan sign-in session and return its cookie value (kept only as a hash)."""
    token = secrets.token_urlsafe(32)
    sovereign.add(
        FanWebSession(
            id_hash=_hash(token),
            account_id=account_id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + FAN_SESSION_LIFETIME,
        )
    )
    sovereign.flush()
    return token


def fan_session(sovereign: Session, token: str, now: datetime) -> FanSession:
    """Return the signed-in fan of a session cookie or bearer value.

    Raises:
        FanAuthenticationError: unknown or expired session (`fan_not_authenticated`).
    """
    row = sovereign.get(FanWebSession, _hash(token))
    if row is None or row.expires_at <= now:
        raise FanAuthenticationError("not signed in as a fan")
    return FanSession(row.account_id, row.csrf_token)


def close_fan_session(sovereign: Session, token: str) -> None:
    """Close a fan session (sign-out); an unknown one is ignored."""
    sovereign.execute(delete(FanWebSession).where(FanWebSession.id_hash == _hash(token)))


def fan_profile(sovereign: Session, spine: Spine, account_id: str) -> FanProfile:
    """Open a fan's own name and e-mail address, for the fan (their own data, Art. 15).

    Raises:
        TicketingNotFoundError: no such account (`account_not_found`).
    """
    row = sovereign.get(FanPersonal, account_id)
    if row is None:
        raise TicketingNotFoundError(f"no fan account {account_id}", code="account_not_found")
    open_ = spine.cipher.open_or_none
    return FanProfile(
        account_id,
        open_(account_id, DataCategory.CONTACT.value, "fan_personal.email", row.email),
        open_(account_id, DataCategory.IDENTITY.value, "fan_personal.full_name", row.full_name),
    )
