"""The audit chain: its tables, entries, canonical encoding, appends and subject reads.

Record `n` carries `hash_n = SHA-256(encoding(hash_{n-1}, n, content))`, so each hash
commits to the whole prefix of the log; every `checkpoint_every` records, and on demand,
an Ed25519 signature seals `(n, hash_n)` (design and threat model: `podium.privacy.audit`).

Canonical encoding (what an external auditor re-implements)::

    frame(None) = 0x00
    frame(text) = 0x01 || uint32_be(len(utf8(text))) || utf8(text)
    hash_n = hex(SHA-256(frame("podium.audit.record.v1") || frame(prev_hash) || frame(str(n))
             || frame(at) || frame(operator) || frame(action) || frame(subject)
             || frame(fields) || frame(purpose) || frame(decision) || frame(reason)))

`prev_hash` of record 1 is 64 zeros; `n` is decimal; `at` is UTC as
`YYYY-MM-DDTHH:MM:SS.ffffffZ`; `fields` is the sorted field names joined by commas. A
checkpoint signs `frame("podium.audit.checkpoint.v1") || frame(str(n)) || frame(hash_n)
|| frame(at) || frame(key_id)`; `key_id` is the first 16 hex digits of SHA-256 of the raw
32-byte public key.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Insert, Integer, String, Table, Text, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session

from podium.core.categories import DataCategory, column
from podium.core.db import SovereignBase
from podium.core.types import UtcDateTime
from podium.privacy.audit.anchor import anchor_after_commit
from podium.privacy.audit.errors import AuditEntryError, AuditIntegrityError, AuditKeyError

if TYPE_CHECKING:
    from podium.privacy.audit.signing import CheckpointSigner

__all__ = [
    "GENESIS_HASH",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditEntryError",
    "AuditHead",
    "AuditIntegrityError",
    "AuditKeyError",
    "AuditLog",
    "AuditRecord",
    "checkpoint_message",
    "record_hash",
    "records_about",
]

GENESIS_HASH = "0" * 64
"""The `prev_hash` of record 1."""

_RECORD_TAG = "podium.audit.record.v1"
_CHECKPOINT_TAG = "podium.audit.checkpoint.v1"
_ACTION = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_DECISION = re.compile(r"[a-z][a-z_]*")

_A, _SYS = DataCategory.AUDIT, DataCategory.SYSTEM


# --- tables -----------------------------------------------------------------------


class AuditRecord(SovereignBase):
    """One audited access to personal data, linked by hash to the record before it.

    Attributes:
        seq: position in the chain, 1-based and contiguous.
        at: when the access happened (UTC).
        operator: the operator's account id, or `system`; never a name.
        action: `domain.entity.action`, e.g. `people.person.read`.
        subject: pseudonymous subject ID of the data subject, if one was touched.
        fields: names of the fields touched, sorted and joined by commas (may be empty).
        purpose: the declared purpose of the processing (Art. 5(1)(b)).
        decision: what the policy decided: `allow`, `pseudonymise`, `deny`, `write`, `erase`.
        reason: why, for a refusal; must not contain personal data.
        prev_hash: `hash` of record `seq - 1` (64 zeros for record 1).
        hash: SHA-256 of the canonical encoding (module docstring), 64 hex digits.

    """

    __tablename__ = "audit_record"

    seq: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = column(_A, UtcDateTime)
    operator: Mapped[str] = column(_A, String(64))
    action: Mapped[str] = column(_A, String(80))
    subject: Mapped[str | None] = column(DataCategory.PSEUDONYM, String(64), index=True)
    fields: Mapped[str] = column(_A, Text)
    purpose: Mapped[str | None] = column(_A, String(200))
    decision: Mapped[str] = column(_A, String(24))
    reason: Mapped[str | None] = column(_A, Text)
    prev_hash: Mapped[str] = column(_SYS, String(64))
    hash: Mapped[str] = column(_SYS, String(64))


class AuditCheckpoint(SovereignBase):
    """An Ed25519 signature over one record's position and hash (RFC 8032).

    Attributes:
        seq: the record it seals (and, through its hash, every record before it).
        hash: that record's hash.
        at: when it was signed (UTC).
        key_id: which key of the key folder signed it.
        signature: the 64-byte signature, hex.

    """

    __tablename__ = "audit_checkpoint"

    seq: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=False)
    hash: Mapped[str] = column(_SYS, String(64))
    at: Mapped[datetime] = column(_SYS, UtcDateTime)
    key_id: Mapped[str] = column(_SYS, String(16))
    signature: Mapped[str] = column(_SYS, String(128))


class AuditHead(SovereignBase):
    """The chain's head, one row (`id` 1): the lock every append takes first.

    Attributes:
        id: always 1.
        seq: the last record's seq (0 for an empty chain).
        hash: the last record's hash.

    """

    __tablename__ = "audit_head"

    id: Mapped[int] = column(_SYS, Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = column(_SYS, Integer)
    hash: Mapped[str] = column(_SYS, String(64))


def _table(name: str) -> Table:
    return SovereignBase.metadata.tables[name]


_RECORDS, _CHECKPOINTS, _HEAD = (
    _table("audit_record"),
    _table("audit_checkpoint"),
    _table("audit_head"),
)


# --- entries and the canonical encoding --------------------------------------------


def _check(ok: bool, what: str) -> None:  # noqa: FBT001
    if not ok:
        raise AuditEntryError(f"audit entry: {what}")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What one audit record says, before it gets its place and hash in the chain.

    Attributes:
        operator: account id (≤ 64 characters) or `system`; never a name.
        action: `domain.entity.action` in lower case, ≤ 80 characters.
        subject: pseudonymous subject ID (≤ 64), or None when no data subject is touched.
        fields: field names touched (letters, digits, `_`, `.`); stored sorted, deduplicated.
        purpose: declared purpose (Art. 5(1)(b)), ≤ 200 characters.
        decision: lower-case word ≤ 24: `allow`, `pseudonymise`, `deny`, `write`, `erase`.
        reason: why (mostly for a refusal); must not hold personal data.

    Raises:
        AuditEntryError: a value breaks the format (code `audit_entry_invalid`).

    """

    operator: str
    action: str
    subject: str | None
    fields: tuple[str, ...]
    purpose: str | None
    decision: str
    reason: str | None = None

    def __post_init__(self) -> None:
        """Check the format of every value."""
        _check(0 < len(self.operator) <= 64, f"operator {self.operator!r} must be 1-64 chars")
        _check(
            len(self.action) <= 80 and _ACTION.fullmatch(self.action) is not None,
            f"action {self.action!r} is not domain.entity.action",
        )
        _check(
            self.subject is None or 0 < len(self.subject) <= 64,
            f"subject {self.subject!r} must be a pseudonym of 1-64 chars",
        )
        bad = [name for name in self.fields if _FIELD.fullmatch(name) is None]
        _check(not bad, f"field names {bad!r} are not identifiers")
        _check(self.purpose is None or len(self.purpose) <= 200, "purpose is over 200 chars")
        _check(
            len(self.decision) <= 24 and _DECISION.fullmatch(self.decision) is not None,
            f"decision {self.decision!r} must be a lower-case word of ≤ 24 chars",
        )


def _frame(values: Iterable[str | None]) -> bytes:
    out = bytearray()
    for value in values:
        if value is None:
            out += b"\x00"
        else:
            data = value.encode()
            out += b"\x01" + len(data).to_bytes(4, "big") + data
    return bytes(out)


def _stamp(at: datetime) -> str:
    if at.tzinfo is None:
        raise AuditEntryError(f"audit time {at.isoformat()} has no UTC offset")
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


_CONTENT = ("operator", "action", "subject", "fields", "purpose", "decision", "reason")
_Content = tuple[str, str, str | None, str, str | None, str, str | None]


def _content(entry: AuditEntry) -> _Content:
    fields = ",".join(sorted(set(entry.fields)))
    return (
        entry.operator,
        entry.action,
        entry.subject,
        fields,
        entry.purpose,
        entry.decision,
        entry.reason,
    )


def _digest(prev_hash: str, seq: int, stamp: str, content: Sequence[str | None]) -> str:
    framed = _frame((_RECORD_TAG, prev_hash, str(seq), stamp, *content))
    return hashlib.sha256(framed).hexdigest()


def record_hash(prev_hash: str, seq: int, at: datetime, entry: AuditEntry) -> str:
    """Return a record's chain hash: SHA-256 over the canonical encoding (module docstring).

    Args:
        prev_hash: the previous record's hash, 64 hex digits (`GENESIS_HASH` for record 1).
        seq: the record's 1-based position.
        at: when it happened (aware; hashed as UTC with microseconds).
        entry: its content; `fields` are hashed sorted, deduplicated, comma-joined.

    Returns:
        64 lower-case hex digits.

    Raises:
        AuditEntryError: `at` is naive.

    Source: the hash chain of Certificate Transparency (RFC 6962 §2.1, simplified).

    """
    return _digest(prev_hash, seq, _stamp(at), _content(entry))


def checkpoint_message(seq: int, record_hash: str, at: datetime, key_id: str) -> bytes:
    """Return the bytes a checkpoint signs (canonical encoding, module docstring).

    Args:
        seq: the sealed record's seq.
        record_hash: its hash, 64 hex digits.
        at: when the checkpoint was signed (aware).
        key_id: the signing key's id (16 hex digits).

    Returns:
        The framed message.

    Raises:
        AuditEntryError: `at` is naive.

    """
    return _frame((_CHECKPOINT_TAG, str(seq), record_hash, _stamp(at), key_id))


# --- appending --------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _insert_head_if_missing(dialect: str) -> Insert:
    values = {"id": 1, "seq": 0, "hash": GENESIS_HASH}
    if dialect == "postgresql":
        return postgresql.insert(_HEAD).values(values).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(_HEAD).values(values).on_conflict_do_nothing()
    return insert(_HEAD).values(values)


def _lock_head(session: Session) -> tuple[int, str]:
    """Lock the head row for this transaction and return `(seq, hash)`."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        # pysqlite opens the write transaction at the first write: take SQLite's write lock
        # before reading the head, or two writers would both read the same head.
        session.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq))
    query = select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1).with_for_update()
    row = session.execute(query).first()
    if row is None:
        # Waits for a concurrent first append's head (unique key), then inserts nothing.
        created = session.execute(_insert_head_if_missing(dialect).returning(_HEAD.c.id))
        if created.first() is not None and session.scalar(
            select(func.count()).select_from(_RECORDS)
        ):
            raise AuditIntegrityError(
                "the audit head row is missing while records exist: run `podium audit verify`"
            )
        row = session.execute(query).one()
    return int(row.seq), str(row.hash)


def _chain_rows(
    entries: Sequence[AuditEntry], seq: int, prev: str, when: datetime, stamp: str
) -> list[dict[str, Any]]:
    """Return the rows of `entries` chained after the record `(seq, prev)`, all at `when`."""
    rows: list[dict[str, Any]] = []
    for entry in entries:
        seq += 1
        content = _content(entry)
        digest = _digest(prev, seq, stamp, content)
        operator, action, subject, fields, purpose, decision, reason = content
        rows.append(
            {
                "seq": seq,
                "at": when,
                "operator": operator,
                "action": action,
                "subject": subject,
                "fields": fields,
                "purpose": purpose,
                "decision": decision,
                "reason": reason,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    return rows


class AuditLog:
    """Appends records to the chain and signs checkpoints, in the caller's transaction.

    Args:
        signer: the checkpoint key; None writes no checkpoints (a node without keys).
        checkpoint_every: sign a checkpoint at every multiple of this seq (≥ 1).
        clock: the time of records appended without an explicit `at` (aware).
        anchor: a file outside the database (the key folder) where the newest checkpoint
            is copied once its transaction commits; `verify` compares the chain with it,
            so cutting records *and* checkpoints off the end is caught (see `anchor.py`).

    Raises:
        AuditEntryError: `checkpoint_every` is below 1.

    """

    def __init__(
        self,
        signer: CheckpointSigner | None,
        checkpoint_every: int = 1000,
        *,
        clock: Callable[[], datetime] = _utc_now,
        anchor: Path | None = None,
    ) -> None:
        """Create the log; see the class docstring for the arguments."""
        if checkpoint_every < 1:
            raise AuditEntryError(f"checkpoint_every must be ≥ 1, not {checkpoint_every}")
        self.signer = signer
        self.checkpoint_every = checkpoint_every
        self.clock = clock
        self.anchor = anchor

    def append(
        self, session: Session, entries: Sequence[AuditEntry], at: datetime | None = None
    ) -> int:
        """Append entries to the chain inside the caller's transaction.

        The head row is locked first (`SELECT … FOR UPDATE` on PostgreSQL, the write lock
        on SQLite), so appends from several processes serialize and never fork the chain;
        a rolled-back business write takes its audit records with it, and the reverse.

        Args:
            session: an open session of the sovereign plane; not committed here.
            entries: the entries, in order; all get the same time.
            at: their time (aware); defaults to the log's clock.

        Returns:
            The seq of the last record (the head's seq when `entries` is empty).

        Raises:
            AuditEntryError: `at` is naive.
            AuditIntegrityError: the head row is gone while records remain.

        Source: GDPR Art. 5(2) accountability, Art. 30; RFC 6962-style hash chain.

        """
        if not entries:
            return session.scalar(select(_HEAD.c.seq).where(_HEAD.c.id == 1)) or 0
        when = at or self.clock()
        stamp = _stamp(when)
        seq, prev = _lock_head(session)
        first = seq + 1
        rows = _chain_rows(entries, seq, prev, when, stamp)
        seq, prev = seq + len(rows), rows[-1]["hash"]
        session.execute(insert(_RECORDS), rows)
        session.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=seq, hash=prev))
        if self.signer is not None:
            every = self.checkpoint_every
            marks = range(-(-first // every) * every, seq + 1, every)
            if marks:
                seals = [self._seal(m, rows[m - first]["hash"], when) for m in marks]
                session.execute(insert(_CHECKPOINTS), seals)
                anchor_after_commit(session, self.anchor, seals[-1])
        return seq

    def _seal(self, seq: int, digest: str, at: datetime) -> dict[str, Any]:
        if self.signer is None:
            raise AuditKeyError("no checkpoint key", code="audit_no_signer")
        signer = self.signer.current()  # one key version for the id and the signature
        key_id = signer.key_id
        signature = signer.sign(checkpoint_message(seq, digest, at, key_id))
        return {
            "seq": seq,
            "hash": digest,
            "at": at,
            "key_id": key_id,
            "signature": signature.hex(),
        }

    def checkpoint(self, session: Session) -> int | None:
        """Sign a checkpoint of the current head now, in the caller's transaction.

        Args:
            session: an open session of the sovereign plane; not committed here.

        Returns:
            The sealed seq (unchanged if the head is already sealed), or None for an empty
            chain.

        Raises:
            AuditKeyError: the log has no signer (`audit_no_signer`).
            AuditIntegrityError: the head row is gone while records remain.

        Source: RFC 8032 Ed25519; GDPR Art. 32(1)(b) integrity of processing systems.

        """
        if self.signer is None:
            raise AuditKeyError("this audit log has no checkpoint key", code="audit_no_signer")
        seq, digest = _lock_head(session)
        if seq == 0:
            return None
        if session.scalar(select(_CHECKPOINTS.c.seq).where(_CHECKPOINTS.c.seq == seq)) is None:
            seal = self._seal(seq, digest, self.clock())
            session.execute(insert(_CHECKPOINTS), [seal])
            anchor_after_commit(session, self.anchor, seal)
        return seq


def records_about(session: Session, subject: str) -> list[AuditRecord]:
    """Return every audit record about one data subject, oldest first.

    Args:
        session: an open session of the sovereign plane.
        subject: the subject's pseudonymous ID.

    Returns:
        The records: who accessed which fields of the subject's data, when and why.

    Source: GDPR Art. 15(1)(c) (recipients) for a subject access export.

    """
    query = select(AuditRecord).where(AuditRecord.subject == subject).order_by(AuditRecord.seq)
    return list(session.scalars(query))
