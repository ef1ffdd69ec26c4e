"""The tamper-evident audit log of the sovereign plane: a hash chain with signed checkpoints.

Every read or write of personal data, and every refusal, becomes one `AuditRecord`
(GDPR Art. 5(2) accountability, Art. 30 records of processing, Art. 33 breach
investigation). Record `n` carries `hash_n = SHA-256(encoding(hash_{n-1}, n, content))`,
so each hash commits to the whole prefix of the log (the hash-chain idea of Certificate
Transparency, RFC 6962, without the Merkle tree). Every `checkpoint_every` records, and on
demand, an Ed25519 signature (RFC 8032) seals `(n, hash_n)`; the public keys live in the key
folder, never in the database, so whoever can write the database cannot forge a seal
(Art. 32 integrity). Records hold pseudonyms only (subject IDs, operator account ids), so an
erasure (Art. 17) never has to touch, and so never breaks, the chain.

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

Threat model and limits: the attacker can read and write the sovereign database but not
the key folder. Because `n` is inside the hash, each untouched record proves its own
original position, which is how `verify` tells an edit from a deletion, an insertion or a
reordering (`ProblemKind`). A consistent rewrite of every record from some point on (with
the head) is caught at the first signed checkpoint at or after that point, but `verify`
cannot say which record in between was touched. Records after the last checkpoint are
only as trustworthy as the database: an attacker may rewrite them, append plausible ones,
or delete them together with the head (the log then looks shorter, back to the last
checkpoint). Deleting the newest checkpoints too shortens what is sealed, so copy the
latest checkpoint outside the node (a report, the DPO's mailbox). Whoever holds the signing
key can forge everything: keep the key folder off the database host. `verify` classifies
within a window of `WINDOW` records: a record moved farther than that is reported as a
deletion plus a reordering.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import os
import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from sqlalchemy import Insert, Integer, String, Table, Text, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session

from podium.core.categories import DataCategory, column
from podium.core.db import SovereignBase
from podium.core.errors import ConfigurationError, InvalidInputError, PodiumError
from podium.core.types import UtcDateTime

__all__ = [
    "GENESIS_HASH",
    "WINDOW",
    "AuditCheckpoint",
    "AuditEntry",
    "AuditEntryError",
    "AuditHead",
    "AuditIntegrityError",
    "AuditKeyError",
    "AuditLog",
    "AuditRecord",
    "CheckpointSigner",
    "Problem",
    "ProblemKind",
    "VerifyReport",
    "checkpoint_message",
    "key_id_of",
    "record_hash",
    "records_about",
    "trusted_public_keys",
    "verify",
]

GENESIS_HASH = "0" * 64
"""The `prev_hash` of record 1."""
WINDOW = 4096
"""How many records back `verify` looks to classify a displaced or missing record."""

_RECORD_TAG = "podium.audit.record.v1"
_CHECKPOINT_TAG = "podium.audit.checkpoint.v1"
_PRIVATE_NAME = "audit-signing.key"
_PUBLIC_DIR = "audit-public"
_ACTION = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
_DECISION = re.compile(r"[a-z][a-z_]*")
_SEARCH = 8  # how far from its stored seq `verify` looks for a record's original seq
_WIDE_SEARCHES = 256  # the search costs 16 hashes: bounded for a log edited everywhere

_A, _SYS = DataCategory.AUDIT, DataCategory.SYSTEM


# --- errors -----------------------------------------------------------------------


class AuditEntryError(InvalidInputError):
    """An audit entry breaks the record format (action, field names, lengths, time)."""

    code = "audit_entry_invalid"


class AuditKeyError(ConfigurationError):
    """The checkpoint key folder is missing, unreadable or holds a wrong key."""

    code = "audit_key_invalid"


class AuditIntegrityError(PodiumError):
    """The chain's state forbids appending (its head row is gone while records remain)."""

    code = "audit_head_missing"


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


# --- the signing key --------------------------------------------------------------


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """Return a key's id: the first 16 hex digits of SHA-256 of its raw 32 bytes."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def _write_file(path: Path, data: bytes, mode: int, *, replace: bool) -> None:
    """Write `data` to `path` atomically; without `replace`, keep a file another wrote first."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        if replace:
            temporary.replace(path)
        else:
            # Another process may have created the key first: everyone then uses that one.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _load_private(path: Path) -> Ed25519PrivateKey:
    if path.stat().st_mode & 0o077:
        raise AuditKeyError(
            f"{path} is readable by others: chmod 600 it", code="audit_key_permissions"
        )
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError) as error:
        raise AuditKeyError(f"{path} is not a PEM private key: {error}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise AuditKeyError(f"{path} is not an Ed25519 key")
    return key


def _publish(key_dir: Path, public_key: Ed25519PublicKey) -> None:
    path = key_dir / _PUBLIC_DIR / f"{key_id_of(public_key)}.pem"
    if not path.exists():
        pem = public_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _write_file(path, pem, 0o644, replace=True)


class CheckpointSigner:
    """The Ed25519 key (RFC 8032) that signs checkpoints, kept in the node's key folder.

    The private key is `key_dir/audit-signing.key` (PKCS#8 PEM, mode 0600); every public
    key it ever had stays in `key_dir/audit-public/<key_id>.pem`, where `verify` finds it.

    Args:
        private_key: the signing key.

    """

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        """Wrap a key; use `load_or_create` or `rotate` to get one from the key folder."""
        self._key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id_of(self.public_key)

    @classmethod
    def load_or_create(cls, key_dir: Path) -> CheckpointSigner:
        """Load the folder's signing key, creating it (and its public key file) if missing.

        Args:
            key_dir: the node's key folder (`Settings().key_store()`).

        Returns:
            The signer.

        Raises:
            AuditKeyError: the key file is readable by group or others
                (`audit_key_permissions`), or is not an Ed25519 PEM key.

        """
        path = key_dir / _PRIVATE_NAME
        if not path.exists():
            cls._store(key_dir, Ed25519PrivateKey.generate(), replace=False)
        signer = cls(_load_private(path))
        _publish(key_dir, signer.public_key)
        return signer

    @classmethod
    def rotate(cls, key_dir: Path) -> CheckpointSigner:
        """Replace the folder's signing key by a new one; old public keys stay for `verify`.

        Args:
            key_dir: the node's key folder.

        Returns:
            The signer of the new key.

        """
        key = Ed25519PrivateKey.generate()
        _publish(key_dir, key.public_key())  # first: a checkpoint must never lack its key
        cls._store(key_dir, key, replace=True)
        return cls(key)

    @staticmethod
    def _store(key_dir: Path, key: Ed25519PrivateKey, *, replace: bool) -> None:
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        _write_file(key_dir / _PRIVATE_NAME, pem, 0o600, replace=replace)

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of `message` (RFC 8032 §5.1.6)."""
        return self._key.sign(message)


def trusted_public_keys(key_dir: Path) -> dict[str, Ed25519PublicKey]:
    """Return every checkpoint public key of the key folder, by key id.

    Args:
        key_dir: the node's key folder; keys are read from `key_dir/audit-public/*.pem`.

    Returns:
        `{key_id: key}`; empty when the folder has none.

    Raises:
        AuditKeyError: a file is not an Ed25519 public key, or its name is not its key id
            (`audit_key_mismatch`): a planted key must not pass for a trusted one.

    """
    keys: dict[str, Ed25519PublicKey] = {}
    for path in sorted((key_dir / _PUBLIC_DIR).glob("*.pem")):
        try:
            key = serialization.load_pem_public_key(path.read_bytes())
        except ValueError as error:
            raise AuditKeyError(f"{path} is not a PEM public key: {error}") from None
        if not isinstance(key, Ed25519PublicKey):
            raise AuditKeyError(f"{path} is not an Ed25519 public key")
        if key_id_of(key) != path.stem:
            raise AuditKeyError(
                f"{path} holds key {key_id_of(key)}, not {path.stem}", code="audit_key_mismatch"
            )
        keys[path.stem] = key
    return keys


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


class AuditLog:
    """Appends records to the chain and signs checkpoints, in the caller's transaction.

    Args:
        signer: the checkpoint key; None writes no checkpoints (a node without keys).
        checkpoint_every: sign a checkpoint at every multiple of this seq (≥ 1).
        clock: the time of records appended without an explicit `at` (aware).

    Raises:
        AuditEntryError: `checkpoint_every` is below 1.

    """

    def __init__(
        self,
        signer: CheckpointSigner | None,
        checkpoint_every: int = 1000,
        *,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        """Create the log; see the class docstring for the arguments."""
        if checkpoint_every < 1:
            raise AuditEntryError(f"checkpoint_every must be ≥ 1, not {checkpoint_every}")
        self.signer = signer
        self.checkpoint_every = checkpoint_every
        self.clock = clock

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
        session.execute(insert(_RECORDS), rows)
        session.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=seq, hash=prev))
        if self.signer is not None:
            every = self.checkpoint_every
            marks = range(-(-first // every) * every, seq + 1, every)
            if marks:
                seals = [self._seal(m, rows[m - first]["hash"], when) for m in marks]
                session.execute(insert(_CHECKPOINTS), seals)
        return seq

    def _seal(self, seq: int, digest: str, at: datetime) -> dict[str, Any]:
        if self.signer is None:
            raise AuditKeyError("no checkpoint key", code="audit_no_signer")
        key_id = self.signer.key_id
        signature = self.signer.sign(checkpoint_message(seq, digest, at, key_id))
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
            session.execute(insert(_CHECKPOINTS), [self._seal(seq, digest, self.clock())])
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


# --- verification -----------------------------------------------------------------


class ProblemKind(enum.StrEnum):
    """What `verify` found wrong with a record, a checkpoint or the head."""

    EDITED = "edited"  # content does not match its hash, or content and hash were rewritten
    DELETED = "deleted"  # records are missing from the chain
    INSERTED = "inserted"  # a record not on the chain (forged), or beyond the head
    REORDERED = "reordered"  # intact records stored in the wrong order
    CHECKPOINT_SIGNATURE = "checkpoint_signature"  # bad signature, or an unknown key
    CHECKPOINT_MISMATCH = "checkpoint_mismatch"  # the sealed record has another hash
    TRUNCATED = "truncated"  # the head or a checkpoint points past the last record
    HEAD = "head"  # the head row is missing


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding of `verify`.

    Attributes:
        seq: the record concerned (for `deleted`, the first missing one).
        kind: a `ProblemKind` value.
        detail: what was found, for a person.

    """

    seq: int
    kind: str
    detail: str


@dataclass
class VerifyReport:
    """The outcome of `verify`.

    Attributes:
        records: records read.
        checkpoints: checkpoints checked.
        problems: findings in the order found (at most `max_problems`).
        head: the head's seq (0 when empty or missing).
        sealed: the last seq covered by a valid checkpoint (0 if none).
        omitted: findings beyond `max_problems`, not listed.

    """

    records: int = 0
    checkpoints: int = 0
    problems: list[Problem] = field(default_factory=list)
    head: int = 0
    sealed: int = 0
    omitted: int = 0

    @property
    def ok(self) -> bool:
        """Whether the chain verified with no problem."""
        return not self.problems and not self.omitted


@dataclass(slots=True)
class _Seen:
    seq: int  # where it is stored
    orig: int  # where its hash says it was written
    hash: str
    prev_hash: str
    sound: bool  # content matches its hash
    flagged: bool = False  # already reported as inserted


@dataclass(frozen=True, slots=True)
class _Seal:
    seq: int
    hash: str
    at: datetime
    key_id: str
    signature: str


class _Verifier:
    """Walks the records in stored order and classifies what breaks the chain.

    Each intact record proves the seq it was written with (it is inside its hash), so the
    walk compares where records are stored with where they were written: a missing
    position is a deletion, a position held twice is an insertion (the copy nothing links
    to), a position seen after a later one is a reordering, and a link that matches no
    predecessor blames the predecessor (content and hash rewritten).
    """

    def __init__(
        self,
        head: tuple[int, str] | None,
        keys: Mapping[str, Ed25519PublicKey],
        max_problems: int,
    ) -> None:
        self.report = VerifyReport(head=head[0] if head else 0)
        self.head = head
        self.keys = keys
        self.max_problems = max_problems
        self.recent: dict[int, list[_Seen]] = {}  # by original seq, the last WINDOW or so
        self.by_hash: dict[str, int] = {}  # hash -> original seq, same window
        self.pending: dict[int, list[_Seen]] = {}  # records waiting for their predecessor
        self.ahead: set[int] = set()  # original seqs seen above the watermark
        self.watermark = 1  # lowest original seq neither seen nor declared deleted
        self.gap_rows: int | None = None  # records read when the current gap opened
        self.top: _Seen | None = None  # the record with the highest original seq
        self.past_head = False  # the record the head names has been read
        self.last_at: datetime | None = None
        self.last_stamp = ""
        self.shift = 0  # original seq minus stored seq of the last intact record
        self.searches = _WIDE_SEARCHES
        self.seals: dict[int, _Seal] = {}
        self.valid_seals: set[int] = set()
        self.sealed_rows: dict[int, list[_Seen]] = {}

    def problem(self, seq: int, kind: ProblemKind, detail: str) -> None:
        if len(self.report.problems) < self.max_problems:
            self.report.problems.append(Problem(seq, kind.value, detail))
        else:
            self.report.omitted += 1

    # -- checkpoints --

    def add_seal(self, seal: _Seal) -> None:
        self.report.checkpoints += 1
        self.seals[seal.seq] = seal
        key = self.keys.get(seal.key_id)
        if key is None:
            self.problem(
                seal.seq,
                ProblemKind.CHECKPOINT_SIGNATURE,
                f"signed by key {seal.key_id!r}, which is not a trusted key of the key folder",
            )
            return
        try:
            message = checkpoint_message(seal.seq, seal.hash, seal.at, seal.key_id)
            key.verify(bytes.fromhex(seal.signature), message)
        except (InvalidSignature, ValueError):
            self.problem(seal.seq, ProblemKind.CHECKPOINT_SIGNATURE, "its signature is invalid")
            return
        self.valid_seals.add(seal.seq)

    # -- records --

    def original_seq(self, seen: _Seen, stamp: str, content: Sequence[str | None]) -> int | None:
        """Return the seq the record's own hash was computed with, or None if none fits."""
        seq, prev, digest = seen.seq, seen.prev_hash, seen.hash
        if _digest(prev, seq + self.shift, stamp, content) == digest:
            return seq + self.shift
        candidates = [seq]
        if prev in self.by_hash:
            candidates.append(self.by_hash[prev] + 1)
        if self.searches > 0:  # rationed: a log edited everywhere would cost 16 hashes a record
            self.searches -= 1
            candidates += [seq + d * sign for d in range(1, _SEARCH + 1) for sign in (1, -1)]
        for candidate in candidates:
            if candidate >= 1 and _digest(prev, candidate, stamp, content) == digest:
                return candidate
        return None

    def add(self, row: Sequence[Any]) -> None:
        """Check one record, `(seq, prev_hash, hash, at, *content)` in stored order."""
        self.report.records += 1
        seq, prev_hash, digest, at = row[:4]
        if at != self.last_at:  # records of one append share their time
            self.last_at, self.last_stamp = at, _stamp(at)
        seen = _Seen(seq, seq, digest, prev_hash, sound=True)
        orig = self.original_seq(seen, self.last_stamp, row[4:])
        if orig is None:
            self.problem(seq, ProblemKind.EDITED, "its content does not match its hash")
            seen.orig, seen.sound = seq + self.shift, False
        else:
            self.shift = orig - seq
            seen.orig = orig
        self.place(seen)
        self.link(seen)
        self.recent.setdefault(seen.orig, []).append(seen)
        self.by_hash[seen.hash] = seen.orig
        if seen.orig in self.seals:
            self.sealed_rows.setdefault(seen.orig, []).append(seen)
        if self.report.records % WINDOW == 0:
            self.prune()

    def place(self, seen: _Seen) -> None:
        """Check the record's position: beyond the head, displaced, or opening a gap."""
        orig, top = seen.orig, self.top
        if self.past_head:
            self.problem(seen.seq, ProblemKind.INSERTED, "it lies beyond the chain head")
        elif self.head is not None and seen.hash == self.head[1]:
            self.past_head = True
        if orig not in self.recent and top is not None and orig < top.orig:
            self.problem(
                seen.seq,
                ProblemKind.REORDERED,
                f"it was written as record {orig} but is stored after record {top.orig}"
                f" (at seq {top.seq})",
            )
            if top.orig != top.seq:
                self.problem(
                    top.seq,
                    ProblemKind.REORDERED,
                    f"it was written as record {top.orig} but is stored before record {orig}"
                    f" (at seq {seen.seq})",
                )
        if top is None or orig > top.orig:
            self.top = seen
        if orig == self.watermark:
            self.advance(orig + 1)
        elif orig > self.watermark:
            self.ahead.add(orig)
            if self.gap_rows is None:
                self.gap_rows = self.report.records
        if self.gap_rows is not None and (
            self.report.records - self.gap_rows > WINDOW or len(self.ahead) > WINDOW
        ):
            self.close_gap()

    def advance(self, watermark: int) -> None:
        while watermark in self.ahead:
            self.ahead.discard(watermark)
            watermark += 1
        self.watermark = watermark
        self.gap_rows = self.report.records if self.ahead else None

    def close_gap(self) -> None:
        """Report the records missing at the watermark as deleted and move past them."""
        low, high = self.watermark, min(self.ahead)
        after = self.recent.get(high)
        where = f"the record stored at seq {after[0].seq}" if after else f"record {high}"
        what = f"record {low} is" if high - low == 1 else f"records {low}..{high - 1} are"
        self.problem(
            low,
            ProblemKind.DELETED,
            f"{what} missing: {where} links to a record that is gone",
        )
        for orig in [o for o in self.pending if low <= o < high]:
            del self.pending[orig]
        self.advance(high)

    def link(self, seen: _Seen) -> None:
        """Check the record's link to its predecessor; settle records that waited for it."""
        orig = seen.orig
        if orig == 1:
            if seen.prev_hash != GENESIS_HASH and seen.sound:
                self.problem(seen.seq, ProblemKind.EDITED, "record 1 does not start the chain")
        elif orig - 1 in self.recent:
            self.match(self.recent[orig - 1], seen.prev_hash, seen.seq, sound=seen.sound)
        elif orig - 1 >= self.watermark:
            self.pending.setdefault(orig - 1, []).append(seen)
        for waiting in self.pending.pop(orig, []):
            candidates = [*self.recent.get(orig, []), seen]
            self.match(candidates, waiting.prev_hash, waiting.seq, sound=waiting.sound)

    def match(self, candidates: list[_Seen], prev_hash: str, by: int | str, *, sound: bool) -> None:
        """Decide which of the records at one position their successor `by` links to."""
        linked = [c for c in candidates if c.hash == prev_hash]
        if linked:
            for other in candidates:
                if other not in linked and not other.flagged:
                    self.flag_inserted(other, linked[0], by)
            return
        if not sound:
            return  # the successor's own link may be what was edited
        for candidate in candidates:
            if candidate.sound:
                self.problem(
                    candidate.seq,
                    ProblemKind.EDITED,
                    f"its content and hash were rewritten: {_who(by)} still links to its"
                    " original hash",
                )

    def flag_inserted(self, forged: _Seen, genuine: _Seen, by: int | str) -> None:
        forged.flagged = True
        problems = self.report.problems
        for index in range(len(problems) - 1, max(-1, len(problems) - 17), -1):
            if problems[index].seq == forged.seq and problems[index].kind == ProblemKind.EDITED:
                del problems[index]  # a forged record, not an edited one
                break
        self.problem(
            forged.seq,
            ProblemKind.INSERTED,
            f"nothing links to it: {_who(by)} follows the record at seq {genuine.seq},"
            f" also written as record {genuine.orig}",
        )

    def prune(self) -> None:
        cutoff = self.watermark - WINDOW
        for orig in [o for o in self.recent if o < cutoff]:
            for seen in self.recent.pop(orig):
                self.by_hash.pop(seen.hash, None)

    # -- the end --

    def finish(self) -> VerifyReport:
        while self.ahead:
            self.close_gap()
        self.check_head()
        self.check_seals()
        return self.report

    def check_head(self) -> None:
        top = self.top
        if self.head is None:
            if top is not None:
                self.problem(0, ProblemKind.HEAD, "the chain head row is missing")
            return
        seq, digest = self.head
        last = top.orig if top else 0
        if top is not None and top.hash == digest:
            return
        if seq > last:
            self.problem(
                last + 1,
                ProblemKind.TRUNCATED,
                f"the head is at record {seq} but the chain ends at record {last}",
            )
        elif seq in self.recent:
            self.match(self.recent[seq], digest, "the chain head", sound=True)
        elif seq == 0 and top is not None:
            self.problem(top.seq, ProblemKind.INSERTED, "records exist but the head is empty")

    def check_seals(self) -> None:
        last = self.top.orig if self.top else 0
        for seal in self.seals.values():
            rows = self.sealed_rows.get(seal.seq, [])
            if any(row.hash == seal.hash for row in rows):
                if seal.seq in self.valid_seals:
                    self.report.sealed = max(self.report.sealed, seal.seq)
            elif rows:
                self.problem(
                    rows[0].seq,
                    ProblemKind.CHECKPOINT_MISMATCH,
                    f"checkpoint {seal.seq} sealed another hash: records up to here were rewritten",
                )
            elif seal.seq > last:
                self.problem(
                    seal.seq,
                    ProblemKind.TRUNCATED,
                    f"checkpoint {seal.seq} seals a record past the end of the chain ({last})",
                )
            else:
                self.problem(
                    seal.seq, ProblemKind.CHECKPOINT_MISMATCH, "the record it seals is missing"
                )


def _who(by: int | str) -> str:
    return f"the record at seq {by}" if isinstance(by, int) else by


def verify(
    session: Session,
    public_keys: Mapping[str, Ed25519PublicKey],
    *,
    max_problems: int = 1000,
) -> VerifyReport:
    """Verify the whole chain: every hash, link, checkpoint signature and the head.

    Records are streamed in seq order (`yield_per`, a server-side cursor on PostgreSQL), so
    memory stays constant in the number of records (plus one entry per checkpoint).

    Args:
        session: an open session of the sovereign plane.
        public_keys: trusted keys by key id, from `trusted_public_keys(key_dir)`; never
            keys read from the database.
        max_problems: list at most this many problems; the rest are counted in `omitted`.

    Returns:
        The report; `ok` is True when nothing was found. Limits: module docstring.

    Source: GDPR Art. 5(2), Art. 32(1)(b), Art. 33(3) (describing a breach needs an
    intact trail); RFC 8032; RFC 6962 §2.1.

    """
    head_row = session.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).first()
    head = (int(head_row.seq), str(head_row.hash)) if head_row else None
    verifier = _Verifier(head, public_keys, max_problems)
    for cp in session.execute(select(_CHECKPOINTS).order_by(_CHECKPOINTS.c.seq)):
        verifier.add_seal(_Seal(cp.seq, cp.hash, cp.at, cp.key_id, cp.signature))
    columns = [_RECORDS.c[name] for name in ("seq", "prev_hash", "hash", "at", *_CONTENT)]
    query = select(*columns).order_by(_RECORDS.c.seq).execution_options(yield_per=10_000)
    for row in session.execute(query):
        verifier.add(row)
    return verifier.finish()
