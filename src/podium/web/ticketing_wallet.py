"""Fan pages: the wallet, a ticket with its rotating code, transfer and resale.

- `GET /{lang}/tickets/wallet`: the fan's valid tickets.
- `GET /{lang}/tickets/wallet/{code}`: one ticket. From the window before the session
  (3 hours by default, `TicketPolicy.code_window`) it shows the rotating code as a QR code
  (SVG, segno) and as text; before that, when the code will appear. Without JavaScript the
  page shows the current code and a Refresh link; `ticketing.js` reloads the code part
  every 15 s (RFC 6238 step of `podium.gates`) without announcing each change.
- `POST .../wallet/{code}/transfer` (to another fan's e-mail), `.../resale` (list at face
  value, fees shown) and `.../withdraw`; `GET /{lang}/tickets/resale` lists what is on
  resale and `POST /{lang}/tickets/resale/buy` buys a listing (buyer fee added).
"""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request, Response
from markupsafe import Markup

from podium.core.errors import PodiumError
from podium.ticketing import (
    LocalTestProvider,
    PaymentProvider,
    TicketView,
    TransferRequest,
    buy_listing,
    list_ticket,
    open_listings,
    resale_fees,
    ticket_desk,
    ticket_view,
    transfer_ticket,
    wallet,
    withdraw_listing,
)
from podium.web.rendering import LANG_PATH, PageRoute
from podium.web.ticketing_support import (
    FanPage,
    base_of,
    fan_page,
    now_of,
    office_of,
    planes_of,
    refused,
    see_other,
    sign_in_redirect,
    signed_in_fan,
    valid_fan_form,
)

__all__ = ["qr_svg", "router"]

router = APIRouter(include_in_schema=False, route_class=PageRoute)
Field = Annotated[str, Form()]
_PROVIDER = LocalTestProvider()


def qr_svg(text: str, title: str) -> Markup:
    """Return an inline SVG QR code of `text` (error correction M), titled for screen readers."""
    svg = segno.make(text, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=title, svgclass="ticket-qr"
    )
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704


def _view(request: Request, fan: FanPage, code: str) -> TicketView:
    with ticket_desk(planes_of(request), office_of(request)) as desk:
        return ticket_view(desk, code, account_id=fan.account_id)


@router.get(f"/{LANG_PATH}/tickets/wallet", response_model=None)
def wallet_page(request: Request, done: str | None = None) -> Response:
    """Render the fan's wallet: every valid ticket, by session start."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    with ticket_desk(planes_of(request), office_of(request)) as desk:
        tickets = wallet(desk, fan.account_id)
    return fan_page(request, "wallet.html", {"tickets": tickets, "done": done}, fan=fan)


def _ticket_context(request: Request, view: TicketView) -> dict[str, object]:
    fees = resale_fees(view.price_cents, office_of(request).policy)
    qr = qr_svg(view.code.qr_text, "QR") if view.code.qr_text else None
    # A new query on each render, so the Refresh link always loads the page again (a link
    # to the same address with only a fragment would just scroll).
    refresh = f"?at={int(now_of(request).timestamp())}#ticket-code"
    context = {"ticket": view, "qr": qr, "fees": fees, "refresh": refresh}
    return {**context, "policy": office_of(request).policy}


@router.get(f"/{LANG_PATH}/tickets/wallet/{{code}}", response_model=None)
def ticket_page(
    request: Request, code: str, done: str | None = None, error: str | None = None
) -> Response:
    """Render one ticket: the rotating code inside its window, transfer and resale forms."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    context = {**_ticket_context(request, _view(request, fan, code)), "done": done, "error": error}
    return fan_page(request, "ticket.html", context, fan=fan)


@router.get(f"/{LANG_PATH}/tickets/wallet/{{code}}/code", response_model=None)
def code_part(request: Request, code: str) -> Response:
    """Render only the code part of a ticket page (what `ticketing.js` swaps in)."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    context = _ticket_context(request, _view(request, fan, code))
    return fan_page(request, "code.html", context, fan=fan)


@router.post(f"/{LANG_PATH}/tickets/wallet/{{code}}/transfer", response_model=None)
def transfer(request: Request, code: str, email: Field = "", csrf: Field = "") -> Response:
    """Give a ticket to another fan by e-mail: re-issued to them, the old code revoked."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    try:
        with ticket_desk(planes_of(request), office_of(request)) as desk:
            transfer_ticket(desk, TransferRequest(code, fan.account_id, email))
    except PodiumError as error:
        return see_other(f"{base_of(request)}/wallet/{code}?error={error.code}#transfer")
    return see_other(f"{base_of(request)}/wallet?done=transferred")


@router.post(f"/{LANG_PATH}/tickets/wallet/{{code}}/resale", response_model=None)
def resell(request: Request, code: str, csrf: Field = "") -> Response:
    """List a ticket on the official resale at face value."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    try:
        with ticket_desk(planes_of(request), office_of(request)) as desk:
            list_ticket(desk, code, fan.account_id)
    except PodiumError as error:
        return see_other(f"{base_of(request)}/wallet/{code}?error={error.code}#resale")
    return see_other(f"{base_of(request)}/wallet/{code}?done=listed")


@router.post(f"/{LANG_PATH}/tickets/wallet/{{code}}/withdraw", response_model=None)
def withdraw(request: Request, code: str, listing: Field = "", csrf: Field = "") -> Response:
    """Withdraw a ticket's resale listing: its code shows again."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    try:
        with ticket_desk(planes_of(request), office_of(request)) as desk:
            withdraw_listing(desk, listing, fan.account_id)
    except PodiumError as error:
        return see_other(f"{base_of(request)}/wallet/{code}?error={error.code}#resale")
    return see_other(f"{base_of(request)}/wallet/{code}?done=withdrawn")


@router.get(f"/{LANG_PATH}/tickets/resale", response_model=None)
def resale_page(request: Request, error: str | None = None) -> Response:
    """Render the tickets on resale, each at face value plus the buyer's fee."""
    fan = signed_in_fan(request)
    with ticket_desk(planes_of(request), office_of(request)) as desk:
        listings = open_listings(desk)
        desk.games.expunge_all()
    context = {"listings": listings, "error": error}
    return fan_page(request, "resale.html", context, fan=fan)


@router.post(f"/{LANG_PATH}/tickets/resale/buy", response_model=None)
def buy(request: Request, listing: Field = "", csrf: Field = "") -> Response:
    """Buy a listed ticket (test payment); it lands in the wallet."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    provider: PaymentProvider = getattr(request.app.state, "payment_provider", _PROVIDER)
    try:
        with ticket_desk(planes_of(request), office_of(request)) as desk:
            buy_listing(desk, listing, fan.account_id, provider)
    except PodiumError as error:
        return see_other(f"{base_of(request)}/resale?error={error.code}")
    return see_other(f"{base_of(request)}/wallet?done=bought")
