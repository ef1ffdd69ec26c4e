"""The scanner page for gate staff: `/staff/scanner` (English) and `/staff/fr/scanner`.

A signed-in member of gate staff chooses a device's gate and the direction, types or pastes
what the fan's screen or card shows (the ticket's screen text, or its text and the six
rotating digits apart), or scans it with the camera where the browser has the
`BarcodeDetector` API (`scanner.js`; the camera button stays hidden otherwise). The form
is an ordinary POST, so the page works without JavaScript; each render carries a fresh
nonce, so a form sent twice (reload) gets the first decision back (`duplicate_scan`). The
decision is shown large, in colour, with a mark and words, inside a live region:
`role="alert"` (assertive) for a refusal, `role="status"` (polite) for an admission.

Who may scan: a staff session whose roles grant `gates:device:scan` by the policy's
`[role_scopes]` (`gate-staff`, `admin`), or a token with that scope (the same for the scan
API). Gate staff declare the
purpose `access-control` and reach no personal data (`podium/privacy/policy.toml`). The
box office's `ticketing-agent` does not scan by that role alone: it reads holders and
refunds orders, which a gate agent must not, and scanning is not part of selling; box
office staff who also work a gate are given both roles, so the combination is visible on
their account. The decision is `podium.ticketing.scanning.scan_online`, the same as
`POST /api/gates/scan`; `gate_services` is shared with that API. The clock is the
application's (`podium.web.deps.AppClock`: `app.state.clock` when set, read at each scan).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.accreditation import LiveGateState
from podium.core.clock import Clock
from podium.core.db import Planes
from podium.core.errors import InvalidInputError, NotFoundError
from podium.gates import Decision, Direction, GateState, KeyringKeys
from podium.privacy.operators import Principal
from podium.ticketing import (
    GateDevice,
    ScanContext,
    ScanRequest,
    TicketOffice,
    scan_online,
)
from podium.web.accreditation_support import get_desk
from podium.web.auth import CurrentOperator, permit
from podium.web.deps import AppClock
from podium.web.rendering import render
from podium.web.staff_support import FormOperator, StaffRoute
from podium.web.ticketing_support import office_of

__all__ = ["GateServices", "gate_services", "router"]

router = APIRouter(include_in_schema=False, route_class=StaffRoute)

Lang = Literal["en", "fr"]
_PREFIX: dict[Lang, str] = {"en": "/staff/scanner", "fr": "/staff/fr/scanner"}
_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "same-origin",
}
TEXTS: dict[Lang, dict[str, str]] = {
    "en": {
        "title": "Gate scanner",
        "skip": "Skip to the scanner",
        "intro": "Choose your gate and direction, then scan or type the code on the "
        "fan's screen or card.",
        "lane": "Device and gate",
        "direction": "Direction",
        "entry": "Entry",
        "exit": "Exit",
        "code": "Code on the screen or card",
        "code_hint": "Paste or type the whole text; a ticket's screen text carries its "
        "rotating code.",
        "rotating": "Rotating code, if typed apart (6 digits)",
        "check": "Check",
        "camera": "Scan with the camera",
        "camera_stop": "Stop the camera",
        "admitted": "ADMITTED",
        "refused": "REFUSED",
        "reason": "Reason code",
        "ticket": "Ticket",
        "accreditation": "Card",
        "no_lane": "No gate device is registered yet: ask a gate manager to register one.",
        "switch": "Français",
        "statement": "Accessibility statement",
        "error": "Not sent",
        "signed_in": "Signed in as",
    },
    "fr": {
        "title": "Contrôle d'accès",
        "skip": "Aller au contrôle",
        "intro": "Choisissez votre porte et le sens, puis scannez ou saisissez le code "
        "affiché sur l'écran ou la carte.",
        "lane": "Appareil et porte",
        "direction": "Sens",
        "entry": "Entrée",
        "exit": "Sortie",
        "code": "Code de l'écran ou de la carte",
        "code_hint": "Collez ou saisissez tout le texte ; le texte d'écran d'un billet "
        "contient son code tournant.",
        "rotating": "Code tournant, s'il est saisi à part (6 chiffres)",
        "check": "Contrôler",
        "camera": "Scanner avec la caméra",
        "camera_stop": "Arrêter la caméra",
        "admitted": "ACCÈS AUTORISÉ",
        "refused": "ACCÈS REFUSÉ",
        "reason": "Code du motif",
        "ticket": "Billet",
        "accreditation": "Carte",
        "no_lane": "Aucun appareil de contrôle n'est enregistré : demandez à un "
        "responsable d'en enregistrer un.",
        "switch": "English",
        "statement": "Déclaration d’accessibilité",
        "error": "Non envoyé",
        "signed_in": "Connecté en tant que",
    },
}


class GateServices:
    """The node's gate services, opened once: the ticket office, card keys, card state.

    The keys are the node's keyrings themselves (`KeyringKeys`, the ticket code keys), so
    a key rotated on the host while the node runs verifies at the next scan.

    Args:
        request: any request of the app (its state holds planes, spine and settings).

    """

    def __init__(self, request: Request) -> None:
        """Take the node's ticket office and accreditation desk (opened once, shared)."""
        self.planes: Planes = request.app.state.planes
        self.office: TicketOffice = office_of(request)
        self.desk = get_desk(request)
        # Live views, not copies: a key or code key rotated while the node runs counts at once.
        keys = KeyringKeys(self.office.keyring, self.desk.keyring)
        self.clock: Clock = AppClock(request.app)
        self.context = ScanContext(keys, self.office.code_keys, _card_state, self.clock)


def _card_state(games: Session) -> GateState:
    return LiveGateState(games)


def gate_services(request: Request) -> GateServices:
    """Return the node's gate services (opened on first use, kept on the app)."""
    services: GateServices | None = getattr(request.app.state, "gate_services", None)
    if services is None:
        services = GateServices(request)
        request.app.state.gate_services = services
    return services


Services = Annotated[GateServices, Depends(gate_services)]


def _may_scan(request: Request, principal: Principal) -> None:
    permit(principal, "gates:device:scan", request.app.state.spine.pdp)


def _lang(request: Request) -> Lang:
    return "fr" if request.url.path.startswith(_PREFIX["fr"]) else "en"


def _lanes(planes: Planes) -> list[tuple[str, str]]:
    """Return (value `device|gate`, label) of every active device's gates."""
    with planes.games_session() as games:
        rows = games.scalars(
            select(GateDevice)
            .where(GateDevice.disabled_at.is_(None))
            .order_by(GateDevice.venue_code, GateDevice.label)
        ).all()
        lanes = []
        for row in rows:
            for item in row.gates.split():
                gate = item.split("=", 1)[0]
                lanes.append((f"{row.id}|{gate}", f"{row.venue_code} · {row.label} · {gate}"))
    return lanes


def _page(  # noqa: PLR0913 - the page, who, services, and the form's three values
    request: Request,
    principal: Principal,
    services: GateServices,
    *,
    decision: Decision | None = None,
    form: dict[str, str] | None = None,
    error: str | None = None,
) -> HTMLResponse:
    lang = _lang(request)
    other: Lang = "en" if lang == "fr" else "fr"
    request.scope.setdefault("path_params", {})["lang"] = lang
    context: dict[str, Any] = {
        "t": TEXTS[lang],
        "lang_code": lang,
        "other_code": other,
        "action": _PREFIX[lang],
        "switch_url": _PREFIX[other],
        "principal": principal,
        "lanes": _lanes(services.planes),
        "form": form or {"lane": "", "direction": "entry"},
        "nonce": secrets.token_urlsafe(12),
        "decision": decision,
        "message": None if decision is None else decision.message(lang),
        "error": error,
    }
    status = 422 if error else 200
    response = render(request, "scanner/page.html", context, status)
    response.headers.update(_HEADERS)
    return response


@router.get("/staff/scanner")
@router.get("/staff/fr/scanner")
def scanner(request: Request, principal: CurrentOperator, services: Services) -> HTMLResponse:
    """Show the scanner form (gate staff)."""
    _may_scan(request, principal)
    return _page(request, principal, services)


@router.post("/staff/scanner")
@router.post("/staff/fr/scanner")
def scanner_post(  # noqa: PLR0913 - one argument per form field
    request: Request,
    principal: FormOperator,
    services: Services,
    *,
    lane: Annotated[str, Form()] = "",
    direction: Annotated[str, Form()] = "entry",
    code: Annotated[str, Form(max_length=2000)] = "",
    rotating: Annotated[str, Form(max_length=12)] = "",
    nonce: Annotated[str, Form(max_length=64)] = "",
) -> HTMLResponse:
    """Decide the posted scan and show the decision (the same engine as the device API)."""
    _may_scan(request, principal)
    form = {"lane": lane, "direction": "exit" if direction == "exit" else "entry"}
    device, _, gate = lane.partition("|")
    try:
        request_ = ScanRequest(
            device=device,
            code=code.strip(),
            gate=gate,
            direction=Direction(form["direction"]),
            nonce=nonce if 8 <= len(nonce) <= 64 else secrets.token_urlsafe(12),
            at=services.clock(),
            rotating_code=rotating.strip() or None,
        )
        decision = scan_online(services.planes, request_, services.context)
    except (InvalidInputError, NotFoundError) as failure:
        return _page(request, principal, services, form=form, error=str(failure))
    return _page(request, principal, services, decision=decision, form=form)
