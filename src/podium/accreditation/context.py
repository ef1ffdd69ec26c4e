"""The services one accreditation desk works with, opened together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from podium.accreditation.access import AccessConfig, default_access
from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.gates import KEYRING_FOLDER, IssuerKeyring, open_issuer_keyring
from podium.privacy.spine import Spine

__all__ = ["Desk", "open_desk"]


@dataclass(frozen=True)
class Desk:
    """Everything a lifecycle step needs: both planes, the spine, the keys, the rules.

    Attributes:
        planes: the games plane (accreditations) and the sovereign plane (vetting, audit).
        spine: the privacy services (audit log, field cipher).
        keyring: the credential issuer's keyring (`podium.gates`).
        access: the access configuration (categories, zones, privileges, validity).
        vetting_period_months: the statutory vetting period (calendar months).
        clock: the injected clock.

    """

    planes: Planes
    spine: Spine
    keyring: IssuerKeyring
    access: AccessConfig = field(default_factory=default_access)
    vetting_period_months: int = 2
    clock: Clock = system_clock


def keyring_folder(settings: Settings) -> Path:
    """Return the credential issuer's keyring folder of a node (`<key folder>/credentials`)."""
    return settings.key_store() / KEYRING_FOLDER


def open_desk(
    settings: Settings,
    planes: Planes,
    spine: Spine,
    *,
    access: AccessConfig | None = None,
    clock: Clock = system_clock,
) -> Desk:
    """Open the desk of a node: its keyring (created on first use) and settings.

    Args:
        settings: the node's settings (`key_store()`, `vetting_period_months`).
        planes: the open planes.
        spine: the open privacy services.
        access: the access configuration; defaults to the bundled one.
        clock: the clock every step reads.

    Raises:
        KeyringError: the keyring is corrupt or its private key readable by others.
    """
    return Desk(
        planes=planes,
        spine=spine,
        keyring=open_issuer_keyring(keyring_folder(settings), clock),
        access=access or default_access(),
        vetting_period_months=settings.vetting_period_months,
        clock=clock,
    )
