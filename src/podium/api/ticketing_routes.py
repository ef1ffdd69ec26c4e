"""JSON API: ticketing (inventory, fan sign-in, draw entries, carts, orders, payments, staff).

Public (published information): `GET /api/ticketing/sessions` and
`GET /api/ticketing/sessions/{code}` (availability), `GET /api/ticketing/draw?draw_id=`
(a drawn draw's commitment, seed and entries, to verify it).

Fans: `POST /api/ticketing/session` signs in (e-mail, password) and answers the session
value, also set as the `podium_fan` cookie (HttpOnly, SameSite=Lax). Fan routes accept
`Authorization: Bearer <value>` or the cookie; with the cookie, writes must carry the
session's CSRF token in `X-CSRF-Token`. Staff routes need an operator token with a
`ticketing:*` scope, or a staff sign-in session whose roles grant it (`[role_scopes]` of
the policy: `ticketing-agent`, never gate staff: orders and refunds are the box office's).
The provider webhook is authenticated by its HMAC signature. Every route reads the time
from the application's clock (`podium.web.deps.now_of`), the one the fan pages read: a fan
session opened on a page is checked here on the same clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.operators import Principal
from podium.privacy.spine import Spine
from podium.ticketing import (
    FAN_COOKIE,
    SIGNATURE_HEADER,
    CartItem,
    Checkout,
    DrawWish,
    FanAuthenticationError,
    LocalTestProvider,
    PaymentProvider,
    SaleContext,
    account_orders,
    account_ticket_rows,
    apply_webhook,
    authenticate_fan,
    cancel_order,
    close_fan_session,
    enter_draw,
    expire_holds,
    fan_session,
    load_inventory,
    load_venue_plans,
    open_cart,
    open_draw,
    open_fan_session,
    parse_webhook,
    pay_order,
    published_draw,
    refund_order,
    run_draw,
    session_availability,
    ticketed_sessions,
    webhook_secret,
)
from podium.web.auth import require_scope
from podium.web.deps import now_of

__all__ = ["router"]

router = APIRouter(prefix="/api/ticketing", tags=["ticketing"])

InventoryWriter = Annotated[Principal, Depends(require_scope("ticketing:inventory:write"))]
DrawWriter = Annotated[Principal, Depends(require_scope("ticketing:draw:write"))]
OrderWriter = Annotated[Principal, Depends(require_scope("ticketing:order:write"))]
OrderReader = Annotated[Principal, Depends(require_scope("ticketing:order:read"))]
_DEFAULT_PROVIDER = LocalTestProvider()
CSRF_HEADER = "X-CSRF-Token"


class Fan(BaseModel):
    """The signed-in fan of a request."""

    account_id: str


def _planes(request: Request) -> Planes:
    planes: Planes = request.app.state.planes
    return planes


def _spine(request: Request) -> Spine:
    spine: Spine = request.app.state.spine
    return spine


def _provider(request: Request) -> PaymentProvider:
    provider: PaymentProvider = getattr(request.app.state, "payment_provider", _DEFAULT_PROVIDER)
    return provider


def current_fan(request: Request) -> Fan:
    """Return the signed-in fan (bearer value or cookie; CSRF header for cookie writes).

    Raises:
        FanAuthenticationError: no or ended fan session, or a cookie write without the
            session's CSRF token (401).
    """
    header = request.headers.get("authorization", "")
    scheme, _, bearer = header.partition(" ")
    token = bearer if scheme.lower() == "bearer" and bearer else request.cookies.get(FAN_COOKIE)
    if not token:
        raise FanAuthenticationError("sign in as a fan (cookie podium_fan or Bearer)")
    with _planes(request).sovereign_session() as sovereign:
        signed = fan_session(sovereign, token, now_of(request))
    writes = request.method not in {"GET", "HEAD"}
    if not bearer and writes and request.headers.get(CSRF_HEADER) != signed.csrf_token:
        raise FanAuthenticationError("missing or wrong CSRF token", code="csrf_invalid")
    return Fan(account_id=signed.account_id)


CurrentFan = Annotated[Fan, Depends(current_fan)]


def _checkout(request: Request) -> Iterator[Checkout]:
    planes = _planes(request)
    with planes.games_session() as games, planes.sovereign_session() as sovereign:
        yield Checkout(games, sovereign, _spine(request), _provider(request), now_of(request))


CheckoutDep = Annotated[Checkout, Depends(_checkout)]


class SignIn(BaseModel):
    """E-mail address and password of a fan."""

    model_config = ConfigDict(extra="forbid")
    email: str = ""
    password: str = ""


class CartIn(BaseModel):
    """Items of a cart: inventory row ids and quantities."""

    model_config = ConfigDict(extra="forbid")
    items: list[dict[str, int]] = Field(min_length=1, max_length=10)


class OrderRef(BaseModel):
    """An order id."""

    model_config = ConfigDict(extra="forbid")
    order_id: str


class EntryIn(BaseModel):
    """A draw entry: draw, session and tickets wanted."""

    model_config = ConfigDict(extra="forbid")
    draw_id: int
    session_code: str
    quantity: int


class DrawIn(BaseModel):
    """A draw to open: title, registration window, seed commitment, slot length."""

    model_config = ConfigDict(extra="forbid")
    name: str
    opens_at: datetime
    closes_at: datetime
    commitment: str
    slot_hours: int = 48


class DrawRun(BaseModel):
    """The revealed seed of a draw."""

    model_config = ConfigDict(extra="forbid")
    draw_id: int
    seed: str


def _order(order: Any) -> dict[str, Any]:
    return {
        "order_id": order.id,
        "status": order.status,
        "total_cents": order.total_cents,
        "expires_at": order.expires_at.isoformat(),
    }


@router.get("/sessions")
def list_sessions(
    request: Request, day: date | None = None, venue: str | None = None
) -> list[dict[str, Any]]:
    """List ticketed sessions with units left (public)."""
    with _planes(request).games_session() as games:
        return [asdict(s) for s in ticketed_sessions(games, day, venue)]


@router.get("/sessions/{code}")
def availability(code: str, request: Request) -> list[dict[str, Any]]:
    """Return a session's inventory rows and units left (public). 404 `session_not_ticketed`."""
    with _planes(request).games_session() as games:
        return [asdict(a) for a in session_availability(games, code)]


@router.get("/draw")
def draw_publication(request: Request, draw_id: Annotated[int, Query()]) -> dict[str, Any]:
    """Return what a draw publishes for verification (no account ids)."""
    with _planes(request).games_session() as games:
        published = published_draw(games, draw_id)
    return {
        "commitment": published.commitment,
        "seed": published.seed,
        "entries": published.entries,
        "capacity": published.capacity,
        "ranks": published.ranks,
        "winners": sorted(published.winners),
    }


@router.post("/session")
def sign_in(body: SignIn, request: Request, response: Response) -> dict[str, str]:
    """Sign a fan in; answers the session value and sets the cookie. 401 on bad credentials."""
    settings: Settings = request.app.state.settings
    with _planes(request).sovereign_session() as sovereign:
        account = authenticate_fan(sovereign, _spine(request), body.email, body.password)
        now = now_of(request)
        token = open_fan_session(sovereign, account, now)
        csrf = fan_session(sovereign, token, now).csrf_token
    response.set_cookie(
        FAN_COOKIE, token, httponly=True, samesite="lax", secure=settings.secure_cookies
    )
    return {"account_id": account, "session": token, "csrf_token": csrf}


@router.delete("/session")
def sign_out(fan: CurrentFan, request: Request, response: Response) -> dict[str, str]:
    """Close the fan's session."""
    header = request.headers.get("authorization", "").partition(" ")[2]
    with _planes(request).sovereign_session() as sovereign:
        close_fan_session(sovereign, header or request.cookies.get(FAN_COOKIE, ""))
    response.delete_cookie(FAN_COOKIE)
    return {"account_id": fan.account_id}


@router.post("/draw-entries")
def post_entry(body: EntryIn, fan: CurrentFan, request: Request) -> dict[str, Any]:
    """Enter a draw for one session. 422 `draw_closed`, `quantity_invalid`."""
    with _planes(request).games_session() as games:
        entry = enter_draw(
            games,
            body.draw_id,
            fan.account_id,
            DrawWish(body.session_code, body.quantity),
            SaleContext(now_of(request)),
        )
        return {"entry_id": entry.id, "quantity": entry.quantity}


@router.post("/carts")
def post_cart(body: CartIn, fan: CurrentFan, request: Request) -> dict[str, Any]:
    """Hold units (a cart). 422 `sold_out`, `session_limit`, `account_limit`, `no_purchase_slot`."""
    items = [CartItem(int(i.get("inventory_id", 0)), int(i.get("quantity", 0))) for i in body.items]
    with _planes(request).games_session() as games:
        return _order(open_cart(games, fan.account_id, items, SaleContext(now_of(request))))


@router.get("/orders")
def get_orders(fan: CurrentFan, request: Request) -> list[dict[str, Any]]:
    """Return the fan's orders, newest first."""
    with _planes(request).games_session() as games:
        return [_order(o) for o in account_orders(games, fan.account_id)]


@router.get("/tickets")
def get_tickets(fan: CurrentFan, request: Request) -> list[dict[str, Any]]:
    """Return the fan's valid tickets (no credentials; see the ticket routes)."""
    with _planes(request).games_session() as games:
        return [
            {
                "ticket_id": t.id,
                "session_code": t.session_code,
                "seat": t.seat,
                "kind": t.kind,
                "price_cents": t.price_cents,
            }
            for t in account_ticket_rows(games, fan.account_id)
        ]


@router.post("/orders/pay")
def post_pay(body: OrderRef, fan: CurrentFan, checkout: CheckoutDep) -> dict[str, Any]:
    """Pay a cart. 422 `hold_expired`, `order_state`."""
    return asdict(pay_order(checkout, body.order_id, fan.account_id))


@router.post("/orders/cancel")
def post_cancel(body: OrderRef, fan: CurrentFan, request: Request) -> dict[str, str]:
    """Cancel a cart or an unpaid order."""
    with _planes(request).games_session() as games:
        cancel_order(games, body.order_id, fan.account_id, now_of(request))
    return {"order_id": body.order_id, "status": "cancelled"}


@router.post("/payments/webhook")
async def post_webhook(request: Request) -> dict[str, Any]:
    """Apply a provider's signed webhook event (idempotent). 401 `webhook_signature_invalid`."""
    settings: Settings = request.app.state.settings
    event = parse_webhook(
        webhook_secret(settings.key_store()),
        await request.body(),
        request.headers.get(SIGNATURE_HEADER),
    )
    planes = _planes(request)
    with planes.games_session() as games, planes.sovereign_session() as sovereign:
        checkout = Checkout(games, sovereign, _spine(request), _provider(request), now_of(request))
        return asdict(apply_webhook(checkout, event))


@router.post("/inventory/load")
def post_load(_staff: InventoryWriter, request: Request) -> dict[str, int]:
    """Put every Paris 2024 session of a planned venue on sale (idempotent)."""
    with _planes(request).games_session() as games:
        return asdict(load_inventory(games, load_venue_plans()))


@router.post("/draws")
def post_draw(body: DrawIn, _staff: DrawWriter, request: Request) -> dict[str, Any]:
    """Open a draw with its seed commitment. 422 `draw_invalid`."""
    with _planes(request).games_session() as games:
        draw = open_draw(
            games, body.name, (body.opens_at, body.closes_at), body.commitment, body.slot_hours
        )
        return {"draw_id": draw.id, "commitment": draw.seed_commitment}


@router.post("/draws/run")
def post_run(body: DrawRun, _staff: DrawWriter, request: Request) -> dict[str, int]:
    """Reveal the seed and run the draw. 422 `seed_commitment_mismatch`, `draw_open`."""
    with _planes(request).games_session() as games:
        return asdict(run_draw(games, body.draw_id, body.seed, now_of(request)))


@router.get("/staff/orders")
def staff_orders(_staff: OrderReader, request: Request, account: str) -> list[dict[str, Any]]:
    """Return a fan account's orders (ticketing staff)."""
    with _planes(request).games_session() as games:
        return [_order(o) for o in account_orders(games, account)]


@router.post("/staff/refund")
def staff_refund(body: OrderRef, _staff: OrderWriter, checkout: CheckoutDep) -> dict[str, Any]:
    """Refund a paid order (ticketing staff). 422 `order_state`."""
    return asdict(refund_order(checkout, body.order_id, None))


@router.post("/staff/expire")
def staff_expire(_staff: OrderWriter, request: Request) -> dict[str, int]:
    """Expire carts and unpaid orders whose hold ended (also run by `podium ticketing expire`)."""
    with _planes(request).games_session() as games:
        return {"expired": expire_holds(games, now_of(request))}
