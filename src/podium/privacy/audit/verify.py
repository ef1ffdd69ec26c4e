"""Verifying the audit chain: every hash, link, checkpoint signature and the head.

Each intact record proves the seq it was written with, so `verify` tells an edit from a
deletion, an insertion or a reordering (`ProblemKind`); limits are in the threat model of
`podium.privacy.audit`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from podium.privacy.audit.anchor import AuditAnchor
from podium.privacy.audit.chain import (
    _CHECKPOINTS,
    _CONTENT,
    _HEAD,
    _RECORDS,
    GENESIS_HASH,
    _digest,
    _stamp,
    checkpoint_message,
)

__all__ = ["WINDOW", "Problem", "ProblemKind", "VerifyReport", "verify"]

WINDOW = 4096
"""How many records back `verify` looks to classify a displaced or missing record."""

_SEARCH = 8  # how far from its stored seq `verify` looks for a record's original seq
_WIDE_SEARCHES = 256  # the search costs 16 hashes: bounded for a log edited everywhere


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


def _check_anchor(verifier: _Verifier, anchor: AuditAnchor) -> None:
    kept = _Seal(anchor.seq, anchor.hash, anchor.at, anchor.key_id, anchor.signature)
    stored = verifier.seals.get(anchor.seq)
    if stored is None:
        # Its record must still be there with this hash: checked like any checkpoint, so a
        # chain that now ends before it is reported as truncated.
        verifier.add_seal(kept)
    elif (stored.hash, stored.signature) != (kept.hash, kept.signature):
        verifier.problem(
            anchor.seq,
            ProblemKind.CHECKPOINT_MISMATCH,
            "its checkpoint differs from the copy kept outside the database (the anchor)",
        )


def verify(
    session: Session,
    public_keys: Mapping[str, Ed25519PublicKey],
    *,
    max_problems: int = 1000,
    anchor: AuditAnchor | None = None,
) -> VerifyReport:
    """Verify the whole chain: every hash, link, checkpoint signature and the head.

    Records are streamed in seq order (`yield_per`, a server-side cursor on PostgreSQL), so
    memory stays constant in the number of records (plus one entry per checkpoint).

    Args:
        session: an open session of the sovereign plane.
        public_keys: trusted keys by key id, from `trusted_public_keys(key_dir)`; never
            keys read from the database.
        max_problems: list at most this many problems; the rest are counted in `omitted`.
        anchor: the newest checkpoint as copied outside the database (`load_anchor`); the
            chain must reach its record with its hash, so records cut off the end together
            with their checkpoints are reported as `truncated`.

    Returns:
        The report; `ok` is True when nothing was found. Limits: the threat model in
        the `podium.privacy.audit` docstring.

    Source: GDPR Art. 5(2), Art. 32(1)(b), Art. 33(3) (describing a breach needs an
    intact trail); RFC 8032; RFC 6962 §2.1.

    """
    head_row = session.execute(select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).first()
    head = (int(head_row.seq), str(head_row.hash)) if head_row else None
    verifier = _Verifier(head, public_keys, max_problems)
    for cp in session.execute(select(_CHECKPOINTS).order_by(_CHECKPOINTS.c.seq)):
        verifier.add_seal(_Seal(cp.seq, cp.hash, cp.at, cp.key_id, cp.signature))
    if anchor is not None:
        _check_anchor(verifier, anchor)
    columns = [_RECORDS.c[name] for name in ("seq", "prev_hash", "hash", "at", *_CONTENT)]
    query = select(*columns).order_by(_RECORDS.c.seq).execution_options(yield_per=10_000)
    for row in session.execute(query):
        verifier.add(row)
    return verifier.finish()
