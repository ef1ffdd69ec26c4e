"""JSON API: a fan's tickets, the rotating code, transfer, resale, PDF and Wallet pass.

Every route needs a signed-in fan (`podium.api.ticketing_routes.current_fan`: the
`podium_fan` cookie with the CSRF header on writes, or `Authorization: Bearer`); the
public gets 401. A fan only ever sees their own tickets (another's answers 404
`ticket_not_found`).

    GET    /api/tickets                         the wallet: the fan's valid tickets
    GET    /api/tickets/{ticket}                one ticket, with its code state
    POST   /api/tickets/{ticket}/transfer       {"to_email", "holder_name"?}
    POST   /api/tickets/{ticket}/resale         list it at face value
    DELETE /api/tickets/{ticket}/resale         withdraw the listing
    POST   /api/tickets/{ticket}/buy            buy its open listing (atomic exchange)
    GET    /api/resale[?session=SWM01]          open listings
    GET    /api/tickets/{ticket}/pdf            the printable ticket
    GET    /api/tickets/{ticket}/pass.pkpass    the Apple Wallet pass (404
                                                `pass_not_configured` without a certificate)

The office and its clock are the node's (`podium.web.ticketing_support.office_of`): the
application's clock, `app.state.clock` when set (tests), else the system clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from podium.api.ticketing_routes import CurrentFan
from podium.core.db import Planes
from podium.core.errors import NotFoundError
from podium.ticketing import (
    PASS_MEDIA_TYPE,
    TICKET_KEYRING_FOLDER,
    WALLET_FOLDER,
    LocalTestProvider,
    PaymentProvider,
    TicketDesk,
    TicketingNotFoundError,
    TicketView,
    TransferRequest,
    buy_listing,
    list_ticket,
    load_pass_signer,
    open_listing_of,
    open_listings,
    ticket_desk,
    ticket_document,
    ticket_pass,
    ticket_view,
    transfer_ticket,
    wallet,
    withdraw_listing,
)
from podium.web.ticketing_support import office_of

__all__ = ["router"]

router = APIRouter(tags=["ticket"])

TicketId = Annotated[str, Path(min_length=1, max_length=20, description="The ticket's id")]
_DEFAULT_PROVIDER = LocalTestProvider()


def _desk(request: Request) -> Iterator[TicketDesk]:
    planes: Planes = request.app.state.planes
    with ticket_desk(planes, office_of(request)) as desk:
        yield desk


Desk = Annotated[TicketDesk, Depends(_desk)]


class TransferIn(BaseModel):
    """Who receives the ticket: their Podium e-mail address, and who will attend."""

    model_config = ConfigDict(extra="forbid")
    to_email: str = Field(min_length=3, max_length=254)
    holder_name: str | None = Field(default=None, max_length=160)


def _view(view: TicketView) -> dict[str, Any]:
    return asdict(view)


@router.get("/api/tickets")
def get_wallet(fan: CurrentFan, desk: Desk) -> list[dict[str, Any]]:
    """Return the fan's valid tickets, by session start, each with its code state."""
    return [_view(v) for v in wallet(desk, fan.account_id)]


@router.get("/api/tickets/{ticket}")
def get_ticket(ticket: TicketId, fan: CurrentFan, desk: Desk) -> dict[str, Any]:
    """Return one of the fan's tickets. 404 `ticket_not_found`."""
    return _view(ticket_view(desk, ticket, account_id=fan.account_id))


@router.post("/api/tickets/{ticket}/transfer")
def post_transfer(
    ticket: TicketId, body: TransferIn, fan: CurrentFan, desk: Desk
) -> dict[str, Any]:
    """Give the ticket to another fan account (404 `receiver_not_found`, 422 limits)."""
    issued = transfer_ticket(
        desk, TransferRequest(ticket, fan.account_id, body.to_email, body.holder_name)
    )
    return {"ticket_id": issued.ticket_id, "serial": issued.serial, "status": "transferred"}


@router.post("/api/tickets/{ticket}/resale")
def post_listing(ticket: TicketId, fan: CurrentFan, desk: Desk) -> dict[str, Any]:
    """List the ticket on the resale at face value (422 `ticket_listed`, `session_started`)."""
    listing = list_ticket(desk, ticket, fan.account_id)
    return {
        "listing_id": listing.id,
        "price_cents": listing.price_cents,
        "seller_fee_cents": listing.seller_fee_cents,
        "seller_gets_cents": listing.price_cents - listing.seller_fee_cents,
    }


@router.delete("/api/tickets/{ticket}/resale")
def delete_listing(ticket: TicketId, fan: CurrentFan, desk: Desk) -> dict[str, str]:
    """Withdraw the ticket's listing. 404 `listing_not_found`."""
    listing = open_listing_of(desk.games, ticket)
    if listing is None:
        raise TicketingNotFoundError(f"ticket {ticket} is not listed", code="listing_not_found")
    withdraw_listing(desk, listing, fan.account_id)
    return {"listing_id": listing, "status": "withdrawn"}


@router.post("/api/tickets/{ticket}/buy")
def post_buy(ticket: TicketId, fan: CurrentFan, desk: Desk, request: Request) -> dict[str, Any]:
    """Buy the ticket's open listing (422 `listing_closed`, `payment_declined`, limits)."""
    listing = open_listing_of(desk.games, ticket)
    if listing is None:
        raise TicketingNotFoundError(f"ticket {ticket} is not for sale", code="listing_not_found")
    provider: PaymentProvider = getattr(request.app.state, "payment_provider", _DEFAULT_PROVIDER)
    outcome = buy_listing(desk, listing, fan.account_id, provider)
    return {
        "listing_id": outcome.listing_id,
        "ticket_id": outcome.ticket.ticket_id,
        "serial": outcome.ticket.serial,
        "order_id": outcome.order_id,
        "paid_cents": outcome.buyer_paid_cents,
    }


@router.get("/api/resale")
def get_listings(
    _fan: CurrentFan, desk: Desk, session: Annotated[str | None, Query(max_length=12)] = None
) -> list[dict[str, Any]]:
    """Return the open listings (no seller), oldest first."""
    return [
        {
            "ticket_id": x.ticket_id,
            "session_code": x.session_code,
            "price_cents": x.price_cents,
            "buyer_fee_cents": x.buyer_fee_cents,
            "buyer_pays_cents": x.price_cents + x.buyer_fee_cents,
        }
        for x in open_listings(desk, session)
    ]


@router.get("/api/tickets/{ticket}/pdf")
def get_pdf(ticket: TicketId, fan: CurrentFan, desk: Desk) -> Response:
    """Return the printable ticket (A6 PDF)."""
    return Response(
        ticket_document(desk, ticket, fan.account_id),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{ticket}.pdf"'},
    )


@router.get("/api/tickets/{ticket}/pass.pkpass")
def get_pass(ticket: TicketId, fan: CurrentFan, desk: Desk) -> Response:
    """Return the Apple Wallet pass. 404 `pass_not_configured` without a pass certificate."""
    folder = desk.office.spine.key_dir / TICKET_KEYRING_FOLDER / WALLET_FOLDER
    signer = load_pass_signer(folder)
    if signer is None:
        raise NotFoundError("no Wallet pass certificate on this node", code="pass_not_configured")
    return Response(
        ticket_pass(desk, ticket, fan.account_id, signer),
        media_type=PASS_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{ticket}.pkpass"'},
    )
