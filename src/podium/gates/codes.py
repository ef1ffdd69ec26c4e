"""The rotating on-screen code of a ticket: a time-based one-time code every 15 seconds.

A ticket's screen shows two things: the signed static part (the ticket's Base45 text) and a
six-digit code of RFC 6238 (TOTP, HMAC-SHA1, 15-second step instead of 30) computed from a
per-ticket secret. A gate accepts the code of the current step and of one step either side
(±15 s of clock drift between a phone and a gate, RFC 6238 §5.2); a screenshot stops
working 15 to 30 seconds after it was taken, and is refused `code_stale`.

Where the secret comes from, so that it works offline::

    ticket secret = HMAC-SHA256(ticket code key[generation], "podium.ticket-code.v1" ||
                                ticket number (4 bytes) || ticket serial (2 bytes))[:20]

The ticket code key (32 random bytes, one per generation, the ticket body names its
generation) never leaves the server except in device packages; the fan's wallet receives
only its own ticket's secret. Trade-off, chosen knowingly: a gate holding the code key can
check any ticket's code with no network and no per-ticket data (the device package stays
small for 80,000 tickets of a stadium), but a stolen gate device, once its package is
extracted, can mint fresh codes for any ticket whose static part the thief also has. The
mitigations are a generation per day or per session (a package carries only the
generations it needs), a revoked device no longer receives packages, and the static part
alone (a screenshot) is never enough. The alternative, a per-ticket secret sealed inside
the ticket for the gates, has the same exposure (the gates hold the unsealing key) and
makes every ticket longer. A transfer gives the ticket a new serial, hence a new secret:
the previous holder's wallet cannot produce codes for the new ticket.

On the screen and in the QR code the two parts travel as one text, `screen_text`:
the six digits, `*`, then the ticket's text. A credential's Base45 text always starts with
a letter (its first two bytes are the format version and the kind), so the split is exact.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import struct
from datetime import datetime

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from podium.gates.errors import CredentialFormatError
from podium.gates.payload import Credential, Kind, TicketBody, decode, from_text

__all__ = [
    "CODE_DIGITS",
    "CODE_STEP",
    "DRIFT_STEPS",
    "check_rotating",
    "rotating_code",
    "screen_text",
    "split_screen_text",
    "ticket_secret",
]

CODE_STEP = 15
"""Seconds between two rotating codes (RFC 6238 time step X)."""
CODE_DIGITS = 6
"""Digits of a rotating code (RFC 4226 §5.3 minimum)."""
DRIFT_STEPS = 1
"""Steps accepted either side of the gate's current step (±15 s of clock drift)."""
SECRET_LENGTH = 20
_CONTEXT = b"podium.ticket-code.v1"
_SCREEN = re.compile(r"(\d{6})\*(.+)\Z", re.DOTALL)
_IDENTITY = struct.Struct(">IH")


def ticket_secret(code_key: bytes, credential: Credential[TicketBody]) -> bytes:
    """Return a ticket's rotating-code secret, derived from the ticket code key.

    Args:
        code_key: the ticket code key of the ticket's generation (32 bytes).
        credential: the ticket (its number and serial are what the secret binds to).

    Raises:
        ValueError: a code key shorter than 16 bytes.

    """
    if len(code_key) < 16:
        raise ValueError("a ticket code key has at least 16 bytes")
    identity = _IDENTITY.pack(credential.credential_id, credential.card_serial)
    return hmac.new(code_key, _CONTEXT + identity, hashlib.sha256).digest()[:SECRET_LENGTH]


def _totp(secret: bytes) -> TOTP:
    # SHA-1 is RFC 6238's default and what every authenticator implements; HMAC-SHA1 has
    # no known weakness as a MAC, unlike SHA-1 collisions.
    return TOTP(secret, CODE_DIGITS, SHA1(), CODE_STEP, enforce_key_length=False)  # noqa: S303


def rotating_code(ticket_text: str, secret: bytes, at: datetime) -> str:
    """Return the code a ticket's wallet shows at `at` (what changes every 15 seconds).

    Args:
        ticket_text: the ticket's Base45 text (checked to be a ticket; not verified).
        secret: the ticket's secret (`ticket_secret`), as its wallet holds it.
        at: now (aware UTC).

    Raises:
        CredentialFormatError: the text is not a ticket (`malformed`).

    """
    if decode(from_text(ticket_text)).credential.kind is not Kind.TICKET:
        raise CredentialFormatError("a rotating code belongs to a ticket, not a card")
    return _totp(secret).generate(int(at.timestamp())).decode("ascii")


def check_rotating(secret: bytes, code: str, at: datetime, drift: int = DRIFT_STEPS) -> bool:
    """Return True when `code` is the ticket's code at `at`, within `drift` steps either side.

    Args:
        secret: the ticket's secret (`ticket_secret`).
        code: the six digits read from the screen.
        at: the scan time (aware UTC).
        drift: steps accepted either side (default 1: ±15 s).

    """
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        return False
    totp, token, now = _totp(secret), code.encode("ascii"), int(at.timestamp())
    # The current step first: almost every live screen matches it, one HMAC per scan.
    for step in sorted(range(-drift, drift + 1), key=abs):
        if hmac.compare_digest(totp.generate(now + step * CODE_STEP), token):
            return True
    return False


def screen_text(ticket_text: str, code: str) -> str:
    """Return what the wallet's QR code holds: the rotating code, `*`, the ticket's text."""
    return f"{code}*{ticket_text}"


def split_screen_text(text: str) -> tuple[str, str | None]:
    """Split a scanned text into the ticket's text and its rotating code (None if absent).

    A card's text or a ticket without its code comes back whole, with None.
    """
    text = text.strip()
    found = _SCREEN.match(text)
    if found is None:
        return text, None
    return found.group(2), found.group(1)
