"""Digital ticketing: inventory, draw, sale without oversell, tickets, transfer and resale.

The public surface of the ticketing domain; other domains and the API, web and CLI faces
import only from here.
"""

from __future__ import annotations

from podium.ticketing.models import (
    Draw,
    DrawEntry,
    FanAccount,
    FanPersonal,
    FanWebSession,
    InventoryKind,
    InventoryRow,
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentReference,
    PaymentStatus,
    PurchaseSlot,
    Ticket,
    TicketedSession,
    TicketHolder,
    TicketStatus,
    WebhookEvent,
)

__all__ = [
    "Draw",
    "DrawEntry",
    "FanAccount",
    "FanPersonal",
    "FanWebSession",
    "InventoryKind",
    "InventoryRow",
    "Order",
    "OrderLine",
    "OrderStatus",
    "Payment",
    "PaymentReference",
    "PaymentStatus",
    "PurchaseSlot",
    "Ticket",
    "TicketHolder",
    "TicketStatus",
    "TicketedSession",
    "WebhookEvent",
]
