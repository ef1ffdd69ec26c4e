"""Fixtures of the gates tests: an issuer keyring in a temporary folder and a device."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from podium.gates import (
    DevicePackage,
    IssuerKeyring,
    OfflineGate,
    RevocationList,
    open_issuer_keyring,
    sign_device_package,
)
from tests.gates.gates_factories import T0


class FixedClock:
    """A clock that returns `now`, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def keyring(tmp_path: Path, clock: FixedClock) -> IssuerKeyring:
    return open_issuer_keyring(tmp_path / "credentials", clock)


def package_for(
    keyring: IssuerKeyring,
    revocations: RevocationList | None = None,
    suspended: frozenset[int] = frozenset(),
    issued_at: datetime = T0,
) -> bytes:
    """Return a signed device package for Stade de France (zones 1 to 7)."""
    package = DevicePackage(
        "STA",
        tuple("1234567"),
        keyring.public_key_set(),
        revocations or RevocationList(0, T0, ()),
        issued_at,
        suspended,
    )
    return sign_device_package(package, keyring.active)


@pytest.fixture
def gate(keyring: IssuerKeyring) -> OfflineGate:
    return OfflineGate.load(package_for(keyring), keyring.public_key_set(), T0)
