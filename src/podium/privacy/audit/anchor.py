"""The anchor: a copy of the newest signed checkpoint kept outside the database.

Checkpoints live in the sovereign plane beside the records they seal, so whoever can
rewrite that database could delete the newest records *and* their checkpoints and leave a
shorter chain that verifies. The anchor closes that gap: after each transaction that
signs a checkpoint commits, the checkpoint is copied to a file in the key folder (a
separate volume in production, see DESIGN.md). `verify` then requires the chain to reach
the anchored record with the anchored hash. What remains open: records appended after the
newest checkpoint are sealed by nothing yet (at most `checkpoint_every` − 1 of them), and
whoever controls both the database and the key folder controls everything.

Source: the signed tree head of Certificate Transparency (RFC 6962 §3.5), kept apart from
the log; GDPR Art. 5(2), Art. 32(1)(b).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from podium.core.errors import ConfigurationError

__all__ = [
    "ANCHOR_FILE",
    "AuditAnchor",
    "AuditAnchorError",
    "anchor_after_commit",
    "load_anchor",
    "write_anchor",
]

ANCHOR_FILE = "audit-anchor.json"
"""The anchor's file name in the key folder."""

_PENDING_ANCHOR = "podium.audit.pending_anchor"
"""`Session.info` key of the newest checkpoint waiting for its commit."""


class AuditAnchorError(ConfigurationError):
    """The anchor file exists but cannot be read."""

    code = "audit_anchor_invalid"


@dataclass(frozen=True, slots=True)
class AuditAnchor:
    """The newest checkpoint as copied outside the database.

    Attributes:
        seq: the record it seals.
        hash: that record's hash (64 hex).
        at: when the checkpoint was signed (aware).
        key_id: the signing key's id.
        signature: the Ed25519 signature (hex).

    """

    seq: int
    hash: str
    at: datetime
    key_id: str
    signature: str


def write_anchor(path: Path, seal: dict[str, Any]) -> None:
    """Copy a checkpoint to the anchor file, unless the file already holds a newer one.

    The file is replaced atomically (a temporary file renamed over it), so a crash leaves
    the old anchor or the new one, never half of one.

    Args:
        path: the anchor file (`<key folder>/audit-anchor.json`).
        seal: the checkpoint row: `seq`, `hash`, `at` (aware datetime), `key_id`,
            `signature` (hex).
    """
    current = load_anchor(path)
    if current is not None and current.seq >= int(seal["seq"]):
        return
    body = {
        "seq": int(seal["seq"]),
        "hash": str(seal["hash"]),
        "at": seal["at"].isoformat(),
        "key_id": str(seal["key_id"]),
        "signature": str(seal["signature"]),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".anchor-")
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(body, handle)
        handle.flush()
        os.fsync(handle.fileno())
    Path(temporary).replace(path)


def load_anchor(path: Path) -> AuditAnchor | None:
    """Read the anchor file; None when there is none yet (no checkpoint signed so far).

    Raises:
        AuditAnchorError: the file is not a valid anchor (says which file and what).
    """
    if not path.exists():
        return None
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        return AuditAnchor(
            seq=int(body["seq"]),
            hash=str(body["hash"]),
            at=datetime.fromisoformat(body["at"]),
            key_id=str(body["key_id"]),
            signature=str(body["signature"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise AuditAnchorError(f"{path}: not a valid audit anchor ({error})") from error


def anchor_after_commit(session: Session, path: Path | None, seal: dict[str, Any]) -> None:
    """Copy `seal` to the anchor file when (and only if) the transaction commits.

    Several checkpoints signed in one transaction register one listener; the newest is
    the one written. A rollback forgets it.

    Args:
        session: the sovereign-plane session whose transaction signed the checkpoint.
        path: the anchor file (`<key folder>/audit-anchor.json`), or None for a log
            without an anchor (then nothing happens).
        seal: the checkpoint row, as `write_anchor` takes it.
    """
    if path is None:
        return
    pending = session.info.get(_PENDING_ANCHOR)
    session.info[_PENDING_ANCHOR] = seal
    if pending is not None:
        return  # the listener is already registered for this transaction

    def write(committed: Session) -> None:
        newest = committed.info.pop(_PENDING_ANCHOR, None)
        if newest is not None:
            write_anchor(path, newest)

    def forget(rolled_back: Session, *_: object) -> None:
        rolled_back.info.pop(_PENDING_ANCHOR, None)

    event.listen(session, "after_commit", write, once=True)
    event.listen(session, "after_soft_rollback", forget, once=True)
