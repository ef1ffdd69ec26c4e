"""Tables of gate scanning (games plane): gate devices, scans with their nonce, presence.

No personal data: a scan names a ticket or card by its credential number and serial, a
device by its id; who holds the ticket is in the sovereign plane (`TicketHolder`).

- `gate_device`: a scanner registered by staff for one venue and some gates.
- `gate_scan`: every decided scan, online or uploaded from an offline device; the nonce
  is unique, so a scan sent twice is stored once (idempotency).
- `gate_presence`: per ticket, inside or not (anti-passback), as the newest admitted scan
  by scan time left it, online or uploaded from an offline device; the row an online scan
  locks so that two devices racing on one ticket make exactly one entry. Tickets only:
  cards are not checked for passback.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped

from podium.core.categories import DataCategory, column
from podium.core.db import GamesBase
from podium.core.types import UtcDateTime

__all__ = ["GateDevice", "GatePresence", "GateScanRow"]

_C = DataCategory.COMPETITION
_SYS = DataCategory.SYSTEM


class GateDevice(GamesBase):
    """A gate scanner registered by staff.

    Attributes:
        id: `gdv_` + 16 hex.
        venue_code: the venue it scans at.
        gates: its gate codes and the zone each leads into, `G1=1 G2=1` (space separated).
        label: a name for staff (`North gate, lane 3`).
        registered_at: when it was registered.
        disabled_at: when it was disabled (no scan, no package since), or None.
        last_upload_at: when it last uploaded offline scans, or None.

    """

    __tablename__ = "gate_device"

    id: Mapped[str] = column(_SYS, String(20), primary_key=True)
    venue_code: Mapped[str] = column(_C, String(16), index=True)
    gates: Mapped[str] = column(_C, String(400))
    label: Mapped[str] = column(_SYS, String(80))
    registered_at: Mapped[datetime] = column(_SYS, UtcDateTime())
    disabled_at: Mapped[datetime | None] = column(_SYS, UtcDateTime(), nullable=True)
    last_upload_at: Mapped[datetime | None] = column(_SYS, UtcDateTime(), nullable=True)


class GateScanRow(GamesBase):
    """One decided scan.

    Attributes:
        id: row number.
        nonce: the device's unique id of the scan (unique: idempotency).
        device_id: the device that scanned.
        online: True when decided by the server, False when uploaded from a device.
        kind: 1 accreditation, 2 ticket; None when the signature did not verify.
        credential_id: the card or ticket number (None when unverified).
        card_serial: its serial (None when unverified).
        gate: the gate code.
        direction: `entry` or `exit`.
        at: scan time.
        reason: the decision's stable code.
        admitted: whether it was admitted.
        received_at: when the server stored it.

    """

    __tablename__ = "gate_scan"
    __table_args__ = (Index("ix_gate_scan_credential", "kind", "credential_id", "at"),)

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=True)
    nonce: Mapped[str] = column(_SYS, String(64), unique=True)
    device_id: Mapped[str] = column(_SYS, ForeignKey("gate_device.id"), index=True)
    online: Mapped[bool] = column(_SYS, Boolean)
    kind: Mapped[int | None] = column(_C, SmallInteger, nullable=True)
    credential_id: Mapped[int | None] = column(_C, BigInteger, nullable=True)
    card_serial: Mapped[int | None] = column(_C, Integer, nullable=True)
    gate: Mapped[str] = column(_C, String(16))
    direction: Mapped[str] = column(_C, String(8))
    at: Mapped[datetime] = column(_C, UtcDateTime())
    reason: Mapped[str] = column(_C, String(32))
    admitted: Mapped[bool] = column(_C, Boolean)
    received_at: Mapped[datetime] = column(_SYS, UtcDateTime())


class GatePresence(GamesBase):
    """Whether a ticket is inside its venue, as its newest admitted scan left it.

    Online scans and uploaded offline scans move it alike
    (`podium.ticketing.scanning`); a scan older than `changed_at` does not.

    Attributes:
        credential_id: the ticket number.
        inside: True after an admitted entry, False after an admitted exit.
        changed_at: the scan time of the admitted scan that set it
            (`podium.ticketing.scanning.NEVER_MOVED` before any).

    """

    __tablename__ = "gate_presence"

    credential_id: Mapped[int] = column(_C, BigInteger, primary_key=True, autoincrement=False)
    inside: Mapped[bool] = column(_C, Boolean)
    changed_at: Mapped[datetime] = column(_C, UtcDateTime())
