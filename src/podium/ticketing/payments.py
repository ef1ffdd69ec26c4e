"""The payment-provider interface, the local test provider, and signed webhooks.

A provider is told our payment id and amount and answers with its own reference and an
outcome: `approved`, `declined` or `pending` (the answer comes later by webhook). The
provider's reference is personal data of the payer (category payment) and is kept only
in the sovereign plane, sealed (`PaymentReference`).

Webhooks (`POST /api/ticketing/payments/webhook`) carry a JSON body
`{"event_id": ..., "payment_id": ..., "outcome": "approved"|"declined"|"refunded"}` and the
header `Podium-Signature: sha256=<hex>`, an HMAC-SHA-256 of the raw body under the
webhook secret shared with the provider (compared in constant time). They are idempotent
by `event_id` (`podium.ticketing.sale.apply_webhook`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from podium.core.errors import InvalidInputError
from podium.ticketing.errors import FanAuthenticationError

__all__ = [
    "SIGNATURE_HEADER",
    "LocalTestProvider",
    "PaymentProvider",
    "ProviderAnswer",
    "WebhookEventIn",
    "parse_webhook",
    "sign_webhook",
    "webhook_secret",
]

SIGNATURE_HEADER = "Podium-Signature"
"""The header carrying a webhook's HMAC signature."""

Outcome = Literal["approved", "declined", "pending"]


@dataclass(frozen=True, slots=True)
class ProviderAnswer:
    """A provider's answer to a payment request: its reference and the outcome so far."""

    reference: str
    outcome: Outcome


class PaymentProvider(Protocol):
    """What Podium asks of a payment provider."""

    name: str

    def charge(self, payment_id: str, amount_cents: int) -> ProviderAnswer:
        """Ask for a payment of `amount_cents` euro cents, identified by our `payment_id`."""
        ...

    def refund(self, reference: str, amount_cents: int) -> None:
        """Refund a payment by the provider's reference."""
        ...


@dataclass
class LocalTestProvider:
    """A provider that runs in the process, for tests, demos and benchmarks.

    Attributes:
        behaviour: `approve` (answers approved at once), `decline`, or `delay` (answers
            pending; the test then sends the webhook, `webhook_for`).
        refunds: references refunded so far, in order.

    """

    behaviour: Literal["approve", "decline", "delay"] = "approve"
    name: str = "local-test"
    refunds: list[str] = field(default_factory=list)

    def charge(self, payment_id: str, amount_cents: int) -> ProviderAnswer:
        """Answer as `behaviour` says, with a fresh reference."""
        if amount_cents < 0:
            raise InvalidInputError("amount must be >= 0", code="amount_invalid")
        reference = f"ltp_{payment_id}_{secrets.token_hex(4)}"
        outcome: Outcome = {"approve": "approved", "decline": "declined", "delay": "pending"}[
            self.behaviour
        ]  # type: ignore[assignment]
        return ProviderAnswer(reference, outcome)

    def refund(self, reference: str, amount_cents: int) -> None:
        """Record the refund."""
        del amount_cents
        self.refunds.append(reference)


@dataclass(frozen=True, slots=True)
class WebhookEventIn:
    """A verified webhook event."""

    event_id: str
    payment_id: str
    outcome: Literal["approved", "declined", "refunded"]


def sign_webhook(secret: bytes, body: bytes) -> str:
    """Return the `Podium-Signature` header value of a webhook body."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def parse_webhook(secret: bytes, body: bytes, signature: str | None) -> WebhookEventIn:
    """Verify a webhook's signature and read its event.

    Raises:
        FanAuthenticationError: missing or wrong signature (`webhook_signature_invalid`).
        InvalidInputError: a body that is not a well-formed event (`webhook_invalid`).
    """
    if signature is None or not hmac.compare_digest(sign_webhook(secret, body), signature):
        raise FanAuthenticationError("bad webhook signature", code="webhook_signature_invalid")
    try:
        data = json.loads(body)
        event = WebhookEventIn(str(data["event_id"]), str(data["payment_id"]), data["outcome"])
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidInputError(f"webhook body: {exc}", code="webhook_invalid") from exc
    if (
        event.outcome not in ("approved", "declined", "refunded")
        or not 0 < len(event.event_id) <= 64
    ):
        raise InvalidInputError("webhook body: bad outcome or event_id", code="webhook_invalid")
    return event


def webhook_secret(key_dir: Path) -> bytes:
    """Return the webhook secret kept in the key store (`payment-webhook.key`), made once.

    The file is created with mode 0600 on first use; the provider is given the same value.
    """
    path = key_dir / "payment-webhook.key"
    if not path.exists():
        key_dir.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)
        if not path.read_bytes():
            path.write_text(secrets.token_hex(32), encoding="ascii")
    return path.read_text(encoding="ascii").strip().encode("ascii")
