"""Fan pages: draw registration and results, the cart, checkout and the confirmation.

- `POST /{lang}/tickets/draw`: register (or change) an entry: draw, session, quantity.
- `GET /{lang}/tickets/draw`: open draws, the fan's entries, drawn draws' results.
- `GET /{lang}/tickets/draws/{code}`: one draw: the commitment published before it, the
  seed revealed after it, the recomputed check (`verify_draw`) and the fan's own entries;
  a winner's purchase slot with its deadline.
- `POST /{lang}/tickets/cart`: hold units (`open_cart`), `GET /{lang}/tickets/cart` the
  carts held with their countdown, `POST .../cart/pay` and `.../cart/cancel`.
- `GET /{lang}/tickets/orders/{code}`: an order's confirmation.

Every step is a form post answered by a redirect (POST/redirect/GET), so it works
without JavaScript; the countdown script only adds a live display (`ticketing.js`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.core.errors import InvalidInputError, NotFoundError, PodiumError
from podium.ticketing import (
    CartItem,
    Checkout,
    Draw,
    DrawEntry,
    DrawWish,
    LocalTestProvider,
    Order,
    OrderLine,
    PaymentProvider,
    PurchaseSlot,
    SaleContext,
    cancel_order,
    enter_draw,
    issue_tickets,
    open_cart,
    pay_order,
    published_draw,
    ticket_desk,
    verify_draw,
)
from podium.web.rendering import LANG_PATH, PageRoute
from podium.web.ticketing_support import (
    base_of,
    fan_page,
    now_of,
    office_of,
    planes_of,
    refused,
    see_other,
    sign_in_redirect,
    signed_in_fan,
    spine_of,
    valid_fan_form,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False, route_class=PageRoute)
Field = Annotated[str, Form()]
_PROVIDER = LocalTestProvider()


def _provider(request: Request) -> PaymentProvider:
    provider: PaymentProvider = getattr(request.app.state, "payment_provider", _PROVIDER)
    return provider


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


@router.post(f"/{LANG_PATH}/tickets/draw", response_model=None)
def register(
    request: Request, draw: Field = "", session: Field = "", quantity: Field = "", csrf: Field = ""
) -> Response:
    """Register an entry in a draw; back to the draw page saying so, or why not."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    try:
        with planes_of(request).games_session() as games:
            enter_draw(
                games,
                _int(draw),
                fan.account_id,
                DrawWish(session, _int(quantity)),
                SaleContext(now_of(request)),
            )
    except PodiumError as error:
        return see_other(f"{base_of(request)}/draw?error={error.code}")
    return see_other(f"{base_of(request)}/draw?done=registered")


@router.get(f"/{LANG_PATH}/tickets/draw", response_model=None)
def draws(request: Request, done: str | None = None, error: str | None = None) -> Response:
    """Render the draws: open ones, the fan's entries and their results."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    now = now_of(request)
    with planes_of(request).games_session() as games:
        all_draws = list(games.scalars(select(Draw).order_by(Draw.id.desc())))
        entries = list(
            games.scalars(
                select(DrawEntry)
                .where(DrawEntry.account_id == fan.account_id)
                .order_by(DrawEntry.created_at)
            )
        )
        games.expunge_all()
    open_draws = [
        d
        for d in all_draws
        if d.seed is None and d.registration_opens_at <= now < d.registration_closes_at
    ]
    context = {
        "draws": all_draws,
        "open_draws": open_draws,
        "entries": entries,
        "done": done,
        "error": error,
        "now": now,
    }
    return fan_page(request, "draws.html", context, fan=fan)


@router.get(f"/{LANG_PATH}/tickets/draws/{{code}}", response_model=None)
def draw_page(request: Request, code: str) -> Response:
    """Render one draw: commitment, revealed seed, the check, the fan's entries and slot."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    with planes_of(request).games_session() as games:
        found = games.get(Draw, _int(code))
        if found is None:
            raise NotFoundError(f"no draw {code}")
        entries = list(
            games.scalars(
                select(DrawEntry).where(
                    DrawEntry.draw_id == found.id, DrawEntry.account_id == fan.account_id
                )
            )
        )
        slot = games.scalars(
            select(PurchaseSlot).where(
                PurchaseSlot.draw_id == found.id, PurchaseSlot.account_id == fan.account_id
            )
        ).first()
        published = published_draw(games, found.id) if found.seed else None
        games.expunge_all()
    verified: bool | None = None
    if published is not None:
        try:
            verify_draw(published)
            verified = True
        except PodiumError:
            verified = False
    context = {
        "draw": found,
        "entries": entries,
        "slot": slot,
        "published": published,
        "verified": verified,
        "now": now_of(request),
    }
    return fan_page(request, "draw.html", context, fan=fan)


async def _items(request: Request) -> list[CartItem]:
    form = await request.form()
    items = []
    for key, value in form.multi_items():
        if key.startswith("q-") and isinstance(value, str) and _int(value) > 0:
            items.append(CartItem(_int(key[2:]), _int(value)))
    return items


@router.post(f"/{LANG_PATH}/tickets/cart", response_model=None)
async def hold(request: Request) -> Response:
    """Hold the units chosen on a session page; the cart, or the session page with why not."""
    fan = signed_in_fan(request)
    form = await request.form()
    if fan is None or not valid_fan_form(request, fan, str(form.get("csrf", ""))):
        return refused(request, fan)
    session = str(form.get("session", ""))
    items = await _items(request)
    back = f"{base_of(request)}/sessions/{session}"
    if not items:
        return see_other(f"{back}?error=quantity_invalid#choose")
    try:
        with planes_of(request).games_session() as games:
            open_cart(games, fan.account_id, items, SaleContext(now_of(request)))
    except PodiumError as error:
        return see_other(f"{back}?error={error.code}#choose")
    return see_other(f"{base_of(request)}/cart")


def _lines(games: Session, order_ids: list[str]) -> dict[str, list[OrderLine]]:
    rows = games.scalars(
        select(OrderLine).where(OrderLine.order_id.in_(order_ids)).order_by(OrderLine.id)
    )
    lines: dict[str, list[OrderLine]] = {o: [] for o in order_ids}
    for line in rows:
        lines[line.order_id].append(line)
    return lines


@router.get(f"/{LANG_PATH}/tickets/cart", response_model=None)
def cart(request: Request, error: str | None = None) -> Response:
    """Render the fan's carts still holding units, each with its countdown and checkout."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    now = now_of(request)
    with planes_of(request).games_session() as games:
        held = list(
            games.scalars(
                select(Order)
                .where(Order.account_id == fan.account_id, Order.status == "held")
                .where(Order.expires_at > now)
                .order_by(Order.created_at)
            )
        )
        lines = _lines(games, [o.id for o in held])
        games.expunge_all()
    carts = [
        {"order": o, "lines": lines[o.id], "seconds": int((o.expires_at - now).total_seconds())}
        for o in held
    ]
    return fan_page(request, "cart.html", {"carts": carts, "error": error}, fan=fan)


@router.post(f"/{LANG_PATH}/tickets/cart/pay", response_model=None)
def pay(request: Request, order: Field = "", csrf: Field = "") -> Response:
    """Pay a cart with the node's payment provider, issue its tickets, show the order."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    planes = planes_of(request)
    try:
        with planes.games_session() as games, planes.sovereign_session() as sovereign:
            checkout = Checkout(
                games, sovereign, spine_of(request), _provider(request), now_of(request)
            )
            result = pay_order(checkout, order, fan.account_id)
    except (InvalidInputError, NotFoundError) as error:
        return see_other(f"{base_of(request)}/cart?error={error.code}")
    if result.outcome == "approved":
        with ticket_desk(planes, office_of(request)) as desk:
            issue_tickets(desk, order)
    return see_other(f"{base_of(request)}/orders/{order}")


@router.post(f"/{LANG_PATH}/tickets/cart/cancel", response_model=None)
def cancel(request: Request, order: Field = "", csrf: Field = "") -> Response:
    """Cancel a cart: its units go back on sale."""
    fan = signed_in_fan(request)
    if fan is None or not valid_fan_form(request, fan, csrf):
        return refused(request, fan)
    try:
        with planes_of(request).games_session() as games:
            cancel_order(games, order, fan.account_id, now_of(request))
    except PodiumError as error:
        return see_other(f"{base_of(request)}/cart?error={error.code}")
    return see_other(f"{base_of(request)}/cart")


@router.get(f"/{LANG_PATH}/tickets/orders/{{code}}", response_model=None)
def order_page(request: Request, code: str) -> Response:
    """Render an order of the fan: its status, lines and total (the confirmation)."""
    fan = signed_in_fan(request)
    if fan is None:
        return sign_in_redirect(request)
    with planes_of(request).games_session() as games:
        found = games.get(Order, code)
        if found is None or found.account_id != fan.account_id:
            raise NotFoundError(f"no order {code}")
        lines = _lines(games, [found.id])[found.id]
        games.expunge_all()
    return fan_page(request, "order.html", {"order": found, "lines": lines}, fan=fan)
