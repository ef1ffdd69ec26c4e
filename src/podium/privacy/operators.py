"""Operators: staff and API-client accounts and their API tokens.

An operator is whoever reads or writes through Podium other than the public: the
organising committee's staff, a federation's or a cloud partner's engineer, a timing
system. Each carries the attributes the policy decides on (DESIGN.md, "Two planes"):
home country (hence region: EU/EEA, adequacy country or third country), employer,
roles and permitted purposes.

Secrets are stored only as hashes: passwords and API-token secrets with Argon2id
(RFC 9106, through argon2-cffi); staff sign-in sessions live in `podium.privacy.sessions`,
with their identifiers hashed with SHA-256. A token reads `pdm_<id>_<secret>`: the
id finds the row, the secret is verified against its Argon2 hash, so the database never
holds what a request presents. Scopes are `domain:resource:action` strings
(`people:person:read`); `domain:resource:*` grants every action on a resource.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, Session

from podium.core.categories import DataCategory, column
from podium.core.clock import system_clock as utc_now
from podium.core.db import SovereignBase
from podium.core.errors import AuthenticationError, InvalidInputError, NotFoundError
from podium.core.types import UtcDateTime
from podium.privacy.regions import Region, region_of

__all__ = [
    "SCOPES",
    "ApiToken",
    "Operator",
    "Principal",
    "authenticate_password",
    "authenticate_token",
    "build_principal",
    "create_operator",
    "disable_operator",
    "find_operator",
    "issue_token",
    "list_operators",
    "scope_allows",
    "split_names",
]

_OP = DataCategory.OPERATOR
_SECRET = DataCategory.CREDENTIAL
_SYS = DataCategory.SYSTEM

SCOPES: dict[str, str] = {
    "people:person:read": "read a data subject's personal record",
    "people:person:write": "rectify a data subject's personal record",
    "subjects:request:read": "list data-subject requests and their deadlines",
    "subjects:request:write": "register and complete data-subject requests",
    "subjects:subject:export": "export everything held on a data subject (Art. 15, 20)",
    "subjects:subject:erase": "erase or restrict a data subject (Art. 17, 18)",
    "privacy:operator:read": "list operators",
    "privacy:operator:write": "create and disable operators",
    "privacy:audit:read": "read and verify the audit log",
    "results:unit:write": "enter start lists, results and statuses of every discipline",
    "diffusion:consumer:read": "list HTTP push consumers and their queues",
    "diffusion:consumer:write": "register, change and remove HTTP push consumers",
    "diffusion:feed:resend": "send archived feed messages again to a consumer",
    "people:registration:write": "register people of one's own organisation, one by one or in bulk",
    "accreditation:organisation:write": "create responsible organisations and set their quotas",
    "accreditation:application:read": "list and read accreditations and their history",
    "accreditation:application:write": "apply, approve, refuse, print, validate, suspend, revoke",
    "accreditation:vetting:write": "record the vetting authority's decision on an application",
    "accreditation:zone:check": "ask an online zone access decision (a gate device)",
    "entries:entry:read": "list sport entries and start lists",
    "entries:entry:write": "enter, replace and withdraw athletes and teams",
    "ticketing:inventory:write": "set up ticketed sessions, seating areas, price categories",
    "ticketing:draw:write": "open draws, commit to and reveal seeds, run draws",
    "ticketing:order:read": "read orders, tickets and payments (ticketing staff)",
    "ticketing:order:write": "cancel and refund orders, re-issue tickets (ticketing staff)",
    "gates:device:scan": "a gate device: online scans and uploads of offline scans",
    "gates:device:manage": "register gate devices and build their offline packages",
}
"""Every scope a token may carry (`domain:resource:action`); later domains add theirs.

Besides these, `results:<discipline>:write` (`results:ath:write`, the discipline's ODF code
in lower case) lets a venue results manager or timing system write one discipline only."""

DISCIPLINE_RESULTS_SCOPE = re.compile(r"^results:[a-z0-9]{3}:write$")
"""The per-discipline results scope, `results:ath:write`."""

_SCOPE = re.compile(r"^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*:([a-z][a-z0-9-]*|\*)$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
_TOKEN = re.compile(r"^pdm_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")
_HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
"""NIST SP 800-63B asks at least 8 characters of a memorised secret; staff accounts ask 12."""


class Operator(SovereignBase):
    """An operator account (sovereign plane: it describes a member of staff).

    Attributes:
        id: stable account id (`op_` + 12 hex), the only operator reference in the audit log.
        username: sign-in name (lower case).
        display_name: name shown on staff pages.
        home_country: ISO 3166-1 alpha-2 country of the operator's home (e.g. `FR`, `US`).
        organisation: employer organisation (`PARIS2024`, a cloud partner, a federation).
        roles: space-separated role names of the policy file.
        purposes: space-separated purposes the operator may declare (GDPR Art. 5(1)(b)).
        password_hash: Argon2id hash, or None for an API-only account.
        created_at: when the account was created.
        disabled_at: when it was disabled; a disabled operator cannot sign in or use tokens.

    """

    __tablename__ = "operator"

    id: Mapped[str] = column(DataCategory.PSEUDONYM, String(16), primary_key=True)
    username: Mapped[str] = column(_OP, String(64), unique=True)
    display_name: Mapped[str] = column(_OP, String(160))
    home_country: Mapped[str] = column(_OP, String(2))
    organisation: Mapped[str] = column(_OP, String(80))
    roles: Mapped[str] = column(_OP, String(400))
    purposes: Mapped[str] = column(_OP, String(400))
    password_hash: Mapped[str | None] = column(_SECRET, String(200))
    created_at: Mapped[datetime] = column(_OP, UtcDateTime)
    disabled_at: Mapped[datetime | None] = column(_OP, UtcDateTime)

    @property
    def region(self) -> Region:
        """The operator's region, from the home country (GDPR Chapter V)."""
        return region_of(self.home_country)


class ApiToken(SovereignBase):
    """An API token of an operator; the secret is kept only as an Argon2id hash."""

    __tablename__ = "api_token"

    id: Mapped[str] = column(_SYS, String(16), primary_key=True)
    operator_id: Mapped[str] = column(DataCategory.PSEUDONYM, ForeignKey("operator.id"), index=True)
    name: Mapped[str] = column(_OP, String(80))
    secret_hash: Mapped[str] = column(_SECRET, String(200))
    scopes: Mapped[str] = column(_SYS, String(800))
    created_at: Mapped[datetime] = column(_SYS, UtcDateTime)
    expires_at: Mapped[datetime | None] = column(_SYS, UtcDateTime)
    revoked_at: Mapped[datetime | None] = column(_SYS, UtcDateTime)


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated operator behind one request.

    Attributes:
        operator_id: account id (what the audit log records).
        username: sign-in name.
        display_name: name shown on staff pages.
        roles: role names of the policy.
        purposes: purposes the operator may declare.
        region: region of the home country.
        scopes: scopes of the token; None for a web session (bounded by roles only).
        purpose: the purpose declared for this request or session, if any.
        csrf_token: the session's CSRF token (web sessions only).
        organisation: the operator's employer organisation (`PARIS2024`, a NOC such as
            `FRA`, a federation); a responsible organisation's staff manage only its people.

    """

    operator_id: str
    username: str
    display_name: str
    roles: frozenset[str]
    purposes: frozenset[str]
    region: Region
    scopes: frozenset[str] | None
    purpose: str | None = None
    csrf_token: str | None = None
    organisation: str | None = None

    def allows(self, scope: str) -> bool:
        """Whether the credentials carry `scope` (a web session carries every scope)."""
        return self.scopes is None or scope_allows(self.scopes, scope)


def scope_allows(granted: Iterable[str], wanted: str) -> bool:
    """Whether granted scopes include `wanted`, with `domain:resource:*` as a wildcard.

    Args:
        granted: scopes of a token.
        wanted: the scope an endpoint needs, `domain:resource:action`.
    """
    domain_resource = wanted.rpartition(":")[0]
    return any(g in (wanted, f"{domain_resource}:*") for g in granted)


def split_names(value: str) -> frozenset[str]:
    """Return the names of a space-separated column (`roles`, `purposes`, `scopes`).

    Args:
        value: names separated by spaces, e.g. `"dpo security"`.
    """
    return frozenset(value.split())


def build_principal(
    operator: Operator, scopes: frozenset[str] | None, **extra: str | None
) -> Principal:
    """Return the principal of an operator, as a token or a sign-in session presents it.

    Args:
        operator: the authenticated operator account.
        scopes: the token's scopes, or None for a web session (bounded by roles only).
        **extra: `purpose` (the declared purpose) and `csrf_token` (web sessions only);
            both default to None.
    """
    return Principal(
        operator_id=operator.id,
        username=operator.username,
        display_name=operator.display_name,
        roles=split_names(operator.roles),
        purposes=split_names(operator.purposes),
        region=operator.region,
        scopes=scopes,
        purpose=extra.get("purpose"),
        csrf_token=extra.get("csrf_token"),
        organisation=operator.organisation,
    )


def _check_names(kind: str, names: Sequence[str], known: Iterable[str]) -> None:
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise InvalidInputError(
            f"{kind}: unknown {', '.join(unknown)} (known: {', '.join(sorted(known))})",
            code=f"{kind}_unknown",
        )


def create_operator(  # noqa: PLR0913 - one argument per account attribute
    session: Session,
    *,
    username: str,
    display_name: str,
    home_country: str,
    organisation: str,
    roles: Sequence[str],
    purposes: Sequence[str],
    known_roles: Iterable[str],
    known_purposes: Iterable[str],
    password: str | None = None,
) -> Operator:
    """Create an operator account.

    Args:
        session: a sovereign-plane session (the caller commits).
        username: sign-in name: lower-case letters, digits, `.`, `_`, `-` (2–63 chars).
        display_name: name shown on staff pages.
        home_country: ISO 3166-1 alpha-2 code of the home country.
        organisation: employer organisation.
        roles: role names; each must exist in the policy (`known_roles`).
        purposes: purposes the operator may declare; each must exist in the policy.
        known_roles: the policy's role names.
        known_purposes: the policy's purposes.
        password: sign-in password (at least 12 characters), or None for API-only use.

    Returns:
        The new account.

    Raises:
        InvalidInputError: a bad username, password, country, role or purpose
            (`username_invalid`, `password_too_short`, `country_unknown`, `roles_unknown`,
            `purposes_unknown`) or a username already taken (`username_taken`).

    """
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise InvalidInputError(
            f"username {username!r}: use 2–63 lower-case letters, digits, '.', '_' or '-'",
            code="username_invalid",
        )
    if session.scalar(select(Operator.id).where(Operator.username == username)):
        raise InvalidInputError(f"username {username!r} is taken", code="username_taken")
    country = home_country.strip().upper()
    region_of(country)
    _check_names("roles", roles, known_roles)
    _check_names("purposes", purposes, known_purposes)
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            f"password: at least {MIN_PASSWORD_LENGTH} characters", code="password_too_short"
        )
    operator = Operator(
        id=f"op_{secrets.token_hex(6)}",
        username=username,
        display_name=display_name.strip() or username,
        home_country=country,
        organisation=organisation.strip(),
        roles=" ".join(sorted(set(roles))),
        purposes=" ".join(sorted(set(purposes))),
        password_hash=_HASHER.hash(password) if password is not None else None,
        created_at=utc_now(),
        disabled_at=None,
    )
    session.add(operator)
    session.flush()
    return operator


def list_operators(session: Session) -> list[Operator]:
    """Return every operator account, by username."""
    return list(session.scalars(select(Operator).order_by(Operator.username)))


def find_operator(session: Session, username: str) -> Operator:
    """Return the operator with this username.

    Raises:
        NotFoundError: no such operator (`operator_not_found`).
    """
    operator = session.scalar(select(Operator).where(Operator.username == username.lower()))
    if operator is None:
        raise NotFoundError(f"no operator {username!r}", code="operator_not_found")
    return operator


def disable_operator(session: Session, username: str) -> Operator:
    """Disable an operator: sign-in refused, every token revoked, every session closed.

    Args:
        session: a sovereign-plane session (the caller commits).
        username: the operator's sign-in name.

    Raises:
        NotFoundError: no such operator.
    """
    # `sessions` imports this module at load time, so the reverse import waits until here.
    from podium.privacy.sessions import WebSession  # noqa: PLC0415

    operator = find_operator(session, username)
    now = utc_now()
    if operator.disabled_at is None:
        operator.disabled_at = now
    session.execute(
        update(ApiToken)
        .where(ApiToken.operator_id == operator.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    session.query(WebSession).filter(WebSession.operator_id == operator.id).delete()
    _VERIFIED.clear()
    return operator


def issue_token(
    session: Session,
    username: str,
    scopes: Sequence[str],
    *,
    name: str = "api",
    lifetime: timedelta | None = timedelta(days=90),
) -> str:
    """Issue an API token; the plain token is returned once and stored only as a hash.

    Args:
        session: a sovereign-plane session (the caller commits).
        username: the operator the token acts for.
        scopes: `domain:resource:action` scopes (see `SCOPES`; `domain:resource:*` allowed).
        name: a label (which system uses it).
        lifetime: validity from now; None for no expiry.

    Returns:
        The token, `pdm_<16 hex id>_<43-char secret>`.

    Raises:
        InvalidInputError: a malformed or unknown scope (`scope_invalid`), or a disabled
            operator (`operator_disabled`).
        NotFoundError: no such operator.

    """
    operator = find_operator(session, username)
    if operator.disabled_at is not None:
        raise InvalidInputError(f"operator {username!r} is disabled", code="operator_disabled")
    known_resources = {s.rpartition(":")[0] for s in SCOPES}
    for scope in scopes:
        if not _SCOPE.match(scope) or (
            scope not in SCOPES
            and not DISCIPLINE_RESULTS_SCOPE.match(scope)
            and not (scope.endswith(":*") and scope[:-2] in known_resources)
        ):
            raise InvalidInputError(
                f"scope {scope!r}: not one of {', '.join(SCOPES)}"
                " (or domain:resource:*, or results:<discipline>:write)",
                code="scope_invalid",
            )
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    now = utc_now()
    session.add(
        ApiToken(
            id=token_id,
            operator_id=operator.id,
            name=name,
            secret_hash=_HASHER.hash(secret),
            scopes=" ".join(sorted(set(scopes))),
            created_at=now,
            expires_at=now + lifetime if lifetime is not None else None,
            revoked_at=None,
        )
    )
    session.flush()
    return f"pdm_{token_id}_{secret}"


# Argon2 is deliberately slow (tens of ms); a token presented again within a few
# minutes is recognised by a SHA-256 of the secret held in memory only, while the
# revocation, expiry and disabled checks still read the database on every request.
_VERIFIED: dict[str, tuple[str, datetime]] = {}
_VERIFIED_LOCK = threading.Lock()
_VERIFIED_FOR = timedelta(minutes=5)


def authenticate_token(session: Session, token: str, purpose: str | None = None) -> Principal:
    """Return the principal of an API token.

    Args:
        session: a sovereign-plane session.
        token: the presented token, `pdm_<id>_<secret>`.
        purpose: the purpose declared with the request (`X-Podium-Purpose`).

    Raises:
        AuthenticationError: malformed, unknown, wrong-secret, expired or revoked token,
            or a disabled operator; the message never says which secret part was wrong.

    """
    match = _TOKEN.match(token.strip())
    if match is None:
        raise AuthenticationError("the API token is malformed")
    token_id, secret = match.groups()
    row = session.execute(
        select(ApiToken, Operator)
        .join(Operator, Operator.id == ApiToken.operator_id)
        .where(ApiToken.id == token_id)
    ).one_or_none()
    if row is None:
        raise AuthenticationError("the API token is not known")
    api_token, operator = row
    now = utc_now()
    if api_token.revoked_at is not None or operator.disabled_at is not None:
        raise AuthenticationError("the API token was revoked")
    if api_token.expires_at is not None and api_token.expires_at <= now:
        raise AuthenticationError("the API token has expired")
    digest = hashlib.sha256(secret.encode()).hexdigest()
    with _VERIFIED_LOCK:
        cached = _VERIFIED.get(token_id)
    if cached is None or cached[0] != digest or now - cached[1] > _VERIFIED_FOR:
        try:
            _HASHER.verify(api_token.secret_hash, secret)
        except (VerificationError, InvalidHashError) as error:
            raise AuthenticationError("the API token is not valid") from error
        with _VERIFIED_LOCK:
            _VERIFIED[token_id] = (digest, now)
    return build_principal(operator, split_names(api_token.scopes), purpose=purpose)


def authenticate_password(session: Session, username: str, password: str) -> Operator:
    """Check a staff sign-in.

    Raises:
        AuthenticationError: unknown user, wrong password, API-only or disabled account;
            one message for all, so a caller learns nothing about which accounts exist.
    """
    operator = session.scalar(select(Operator).where(Operator.username == username.lower()))
    failure = AuthenticationError("unknown username or wrong password")
    if operator is None or operator.password_hash is None or operator.disabled_at is not None:
        _HASHER.hash(password)  # same work as a real check: no timing hint
        raise failure
    try:
        _HASHER.verify(operator.password_hash, password)
    except (VerificationError, InvalidHashError) as error:
        raise failure from error
    if _HASHER.check_needs_rehash(operator.password_hash):
        operator.password_hash = _HASHER.hash(password)
    return operator
