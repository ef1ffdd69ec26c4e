"""Errors of the ticketing domain, each with a stable `code` (tests assert on codes).

PodiumError
├── InvalidInputError
│   ├── SoldOutError          sold_out: not enough units left in an inventory row
│   ├── LimitExceededError    account_limit, session_limit: 30 per account, 6 per session
│   ├── OrderStateError       order_state: a step the order's status forbids
│   │                         (also hold_expired, payment_window_closed)
│   ├── DrawError             draw_closed, draw_not_drawn, draw_already_drawn,
│   │                         seed_commitment_mismatch, no_purchase_slot
│   └── VenueDataError        venue_data_invalid: the bundled venue file is wrong
├── NotFoundError
│   └── TicketingNotFoundError session_not_ticketed, inventory_not_found, order_not_found,
│                              payment_not_found, draw_not_found, account_not_found
└── AuthenticationError
    └── FanAuthenticationError fan_not_authenticated, webhook_signature_invalid
"""

from __future__ import annotations

from podium.core.errors import AuthenticationError, InvalidInputError, NotFoundError

__all__ = [
    "DrawError",
    "FanAuthenticationError",
    "LimitExceededError",
    "OrderStateError",
    "SoldOutError",
    "TicketingNotFoundError",
    "VenueDataError",
]


class SoldOutError(InvalidInputError):
    """Not enough units are left in an inventory row for the quantity asked."""

    code = "sold_out"


class LimitExceededError(InvalidInputError):
    """More tickets than the account limits allow (`account_limit`, `session_limit`)."""

    code = "account_limit"


class OrderStateError(InvalidInputError):
    """A step the order's status forbids (paying a cancelled order, refunding a cart...)."""

    code = "order_state"


class DrawError(InvalidInputError):
    """A draw step out of turn, or a seed that does not match the published commitment."""

    code = "draw_error"


class VenueDataError(InvalidInputError):
    """The venue capacity file is wrong (says file, venue and field)."""

    code = "venue_data_invalid"


class TicketingNotFoundError(NotFoundError):
    """A session, inventory row, order, payment, draw or account that does not exist."""

    code = "not_found"


class FanAuthenticationError(AuthenticationError):
    """No valid fan sign-in, wrong e-mail or password, or a webhook with a bad signature."""

    code = "fan_not_authenticated"
