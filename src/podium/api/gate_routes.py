"""The gate device API: register devices, scan online, upload offline scans, the merge.

Staff with `gates:device:manage` register a device for a venue's gates
(`POST /api/gates/devices`), disable it, and read the merge report
(`GET /api/gates/double-entries`). A device's token carries `gates:device:scan`: it scans
online (`POST /api/gates/scan`: a ticket's screen text or a card's text, the gate, the
direction and a nonce; the answer is the decision with its stable code and messages in
English and French), uploads the scans it made offline (`POST /api/gates/uploads`, the
answer lists every double entry known), and fetches its offline package
(`GET /api/gates/devices/{device}/package`, signed JSON holding the ticket code keys:
never public). Tickets and cards go through the same `podium.gates` engine; a card is
judged with the accreditation service's live state (`podium.accreditation.LiveGateState`).

A staff sign-in session carries no scopes: its roles grant them by the policy's
`[role_scopes]` (`podium.web.auth.permit`): scanning and uploads to `gate-staff` and
`admin`, managing devices, the merge and packages to `admin`.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from podium.accreditation import device_package
from podium.core.errors import InvalidInputError, PermissionDeniedError
from podium.gates import (
    Decision,
    Direction,
    DoubleEntry,
    KeyringError,
    RevocationList,
    ScanRecord,
    SignedDocumentError,
    load_device_package,
)
from podium.privacy.operators import Principal
from podium.ticketing import (
    DeviceInfo,
    PackageKeys,
    ScanRequest,
    build_device_package,
    device_info,
    disable_device,
    double_entries,
    record_uploads,
    register_device,
    scan_online,
)
from podium.web.auth import CurrentOperator, SpineDep, permit, require_scope
from podium.web.scanner_pages import GateServices, gate_services

__all__ = ["DecisionOut", "DeviceIn", "DeviceOut", "ScanIn", "UploadIn", "router"]

router = APIRouter(prefix="/api/gates", tags=["gates"])

Manager = Annotated[Principal, Depends(require_scope("gates:device:manage"))]
Scanner = Annotated[Principal, Depends(require_scope("gates:device:scan"))]
Services = Annotated[GateServices, Depends(gate_services)]
DeviceId = Annotated[str, Path(pattern=r"^gdv_[0-9a-f]{16}$", description="a device id")]
_NONCE = r"^[0-9A-Za-z_.:-]{8,64}$"


class DeviceIn(BaseModel):
    """A device to register: its venue, gates (gate code -> zone code) and a label."""

    model_config = ConfigDict(extra="forbid")

    venue: str = Field(min_length=1, max_length=16)
    gates: dict[str, str] = Field(min_length=1, max_length=64)
    label: str = Field(min_length=1, max_length=80)


class DeviceOut(BaseModel):
    """A registered device."""

    id: str
    venue: str
    gates: dict[str, str]
    label: str
    registered_at: datetime
    disabled_at: datetime | None


class ScanIn(BaseModel):
    """One scan: what was read, the gate, the direction and the device's nonce."""

    model_config = ConfigDict(extra="forbid")

    device: str = Field(pattern=r"^gdv_[0-9a-f]{16}$")
    code: str = Field(min_length=1, max_length=2000)
    rotating_code: str | None = Field(default=None, pattern=r"^[0-9]{6}$")
    gate: str = Field(min_length=1, max_length=16)
    direction: Literal["entry", "exit"] = "entry"
    nonce: str = Field(pattern=_NONCE)
    at: AwareDatetime | None = Field(default=None, description="scan time; default now")


class DecisionOut(BaseModel):
    """A decision: admitted or not, the stable code, the messages for gate staff."""

    admitted: bool
    reason: str
    message_en: str
    message_fr: str
    kind: Literal["accreditation", "ticket"] | None
    credential_id: int | None
    serial: int | None
    duplicate: bool
    first_reason: str | None


class UploadIn(BaseModel):
    """An offline device's scan log (`podium.gates.ScanRecord.to_json` items)."""

    model_config = ConfigDict(extra="forbid")

    device: str = Field(pattern=r"^gdv_[0-9a-f]{16}$")
    scans: list[dict[str, object]] = Field(max_length=100_000)


class DoubleEntryOut(BaseModel):
    """A ticket that entered twice without an exit, through two devices."""

    credential_id: int
    first_device: str
    first_at: datetime
    second_device: str
    second_at: datetime


class UploadOut(BaseModel):
    """What an upload stored, and every double entry known after it."""

    stored: int
    duplicates: int
    double_entries: list[DoubleEntryOut]


def decision_out(decision: Decision) -> DecisionOut:
    """Return the JSON shape of a decision."""
    duplicate = decision.reason.value == "duplicate_scan"
    kind = None if decision.kind is None else decision.kind.name.lower()
    return DecisionOut(
        admitted=decision.admitted,
        reason=decision.reason.value,
        message_en=decision.message("en"),
        message_fr=decision.message("fr"),
        kind=kind,
        credential_id=decision.credential_id,
        serial=decision.card_serial,
        duplicate=duplicate,
        first_reason=decision.detail if duplicate else None,
    )


def _double(entry: DoubleEntry) -> DoubleEntryOut:
    return DoubleEntryOut(
        credential_id=entry.credential_id,
        first_device=entry.first.device,
        first_at=entry.first.at,
        second_device=entry.second.device,
        second_at=entry.second.at,
    )


@router.post("/devices", status_code=201)
def post_device(body: DeviceIn, principal: Manager, services: Services) -> DeviceOut:
    """Register a gate device (scope `gates:device:manage`).

    Raises:
        DeviceError: `device_gates_invalid` (422).
    """
    del principal
    with services.planes.games_session() as games:
        device = register_device(games, body.venue, body.gates, body.label, services.clock())
    return _device_out(device)


def _device_out(device: DeviceInfo) -> DeviceOut:
    fields = ("id", "venue", "gates", "label", "registered_at", "disabled_at")
    return DeviceOut(**{name: getattr(device, name) for name in fields})


@router.post("/devices/{device}/disable")
def post_disable(device: DeviceId, principal: Manager, services: Services) -> DeviceOut:
    """Disable a device: no more scans, uploads or packages (scope `gates:device:manage`)."""
    del principal
    with services.planes.games_session() as games:
        return _device_out(disable_device(games, device, services.clock()))


@router.get("/devices/{device}/package")
def get_package(
    device: DeviceId, principal: CurrentOperator, services: Services, spine: SpineDep
) -> Response:
    """Return the device's signed offline package (a device's or a manager's token).

    A staff session needs a role granting `gates:device:manage` (`[role_scopes]`: admin):
    the package holds the ticket code keys.

    Raises:
        PermissionDeniedError: `scope_missing` (403) without either scope, `role_missing`
            for a session without a manager's role.
        DeviceNotFoundError: `device_not_found` (404); DeviceError: `device_disabled`.
    """
    try:
        permit(principal, "gates:device:manage", spine.pdp)
    except PermissionDeniedError:
        if principal.scopes is None or not principal.allows("gates:device:scan"):
            raise
    now = services.clock()
    with services.planes.games_session() as games:
        venue = device_info(games, device).venue
    keys = PackageKeys(
        services.office.keyring,
        services.office.code_keys,
        services.desk.keyring.public_key_set(),
        _card_revocations(services, venue, now),
    )
    with services.planes.games_session() as games:
        data = build_device_package(games, device, keys, now)
    return Response(data, media_type="application/json", headers={"Cache-Control": "no-store"})


def _card_revocations(
    services: GateServices, venue: str, now: datetime
) -> tuple[RevocationList, frozenset[int]] | None:
    """Return the accreditation revocations and suspensions for a venue, if it has cards."""
    with contextlib.suppress(InvalidInputError, KeyringError, SignedDocumentError):
        data = device_package(services.desk, venue)
        package = load_device_package(data, services.desk.keyring.public_key_set(), now)
        return package.revocations, package.suspended
    return None


@router.post("/scan")
def post_scan(body: ScanIn, principal: Scanner, services: Services) -> DecisionOut:
    """Decide one scan online and record it (scope `gates:device:scan`).

    Raises:
        DeviceNotFoundError: `device_not_found` (404).
        DeviceError: `device_disabled`, `device_gate_unknown` (422).
    """
    del principal
    request = ScanRequest(
        device=body.device,
        code=body.code,
        gate=body.gate,
        direction=Direction(body.direction),
        nonce=body.nonce,
        at=body.at or services.clock(),
        rotating_code=body.rotating_code,
    )
    return decision_out(scan_online(services.planes, request, services.context))


@router.post("/uploads")
def post_uploads(body: UploadIn, principal: Scanner, services: Services) -> UploadOut:
    """Store an offline device's scans and report the double entries (`gates:device:scan`).

    Raises:
        InvalidInputError: `upload_invalid` (422), naming the scan and field.
        DeviceError: `device_upload_mismatch`, `device_disabled` (422).
    """
    del principal
    records = []
    for n, item in enumerate(body.scans):
        try:
            records.append(ScanRecord.from_json(item, f"scan {n}"))
        except ValueError as error:
            raise InvalidInputError(str(error), code="upload_invalid") from None
    report = record_uploads(services.planes, body.device, records, services.clock())
    return UploadOut(
        stored=report.stored,
        duplicates=report.duplicates,
        double_entries=[_double(d) for d in report.double_entries],
    )


@router.get("/double-entries")
def get_double_entries(principal: Manager, services: Services) -> list[DoubleEntryOut]:
    """Return every ticket that entered twice without an exit, through two devices."""
    del principal
    return [_double(d) for d in double_entries(services.planes)]
