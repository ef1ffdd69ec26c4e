# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Benchmark of the audit log: appends per second and verification of a long chain.

Run: `uv run python benchmarks/bench_audit.py [--quick] [--repeats N] [--no-pg]`.

Appends (SQLite, and PostgreSQL on 127.0.0.1:5432 when it answers): batches of 1 (one
transaction per record) and of 1,000, median of the repeats. Same-run baselines: a plain
INSERT of the same rows into an unchained copy of the table (no head lock, no hash), and
`hashlib.sha256` over the same canonical bytes with no database at all.

Verification: a chain of 1,000,000 records (`--quick`: 50,000) built with bulk appends of
50,000, then `verify` (seconds, records/s, and resident memory after minus before, which
stays flat because records are streamed). Baseline: `record_hash` over the same records,
without the database.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from argparse import Namespace
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, Engine, MetaData, Table, insert
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    base_parser,
    median,
    pg_reachable,
    process_memory,
    throwaway_pg_databases,
)
from podium.core.db import SovereignBase, make_engine
from podium.privacy.audit import (
    GENESIS_HASH,
    AuditEntry,
    AuditLog,
    CheckpointSigner,
    record_hash,
    trusted_public_keys,
    verify,
)

AT = datetime(2024, 7, 26, 19, 30, tzinfo=UTC)
TABLES = ("audit_record", "audit_checkpoint", "audit_head")


def _entry(number: int) -> AuditEntry:
    return AuditEntry(
        operator=f"acct-{number % 97:04d}",
        action="people.person.read",
        subject=f"S{number % 5000:08d}",
        fields=("birth_date", "full_name", "organisation"),
        purpose="accreditation",
        decision="allow" if number % 10 else "deny",
        reason=None if number % 10 else "operator outside the EU/EEA",
    )


def _prepare(engine: Engine) -> MetaData:
    """Create the audit tables and an unchained copy `plain_record` for the baseline."""
    tables = [SovereignBase.metadata.tables[name] for name in TABLES]
    SovereignBase.metadata.create_all(engine, tables=tables)
    plain = MetaData()
    columns = SovereignBase.metadata.tables["audit_record"].columns
    copies = [
        Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable) for c in columns
    ]
    Table("plain_record", plain, *copies)
    plain.create_all(engine)
    return plain


def _plain_rows(start: int, count: int) -> list[dict[str, object]]:
    rows = []
    for number in range(start, start + count):
        item = _entry(number)
        rows.append(
            {
                "seq": number,
                "at": AT,
                "operator": item.operator,
                "action": item.action,
                "subject": item.subject,
                "fields": ",".join(sorted(item.fields)),
                "purpose": item.purpose,
                "decision": item.decision,
                "reason": item.reason,
                "prev_hash": GENESIS_HASH,
                "hash": GENESIS_HASH,
            }
        )
    return rows


def _rate(count: int, repeats: int, run: Callable[[], None]) -> float:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - start))
    return median(rates)


def _line(label: str, rate: float, unit: str, ratio: float | None = None) -> None:
    tail = "" if ratio is None else f"  ratio {ratio:.3f}"
    print(f"  {label:<36}{rate:>12,.0f} {unit}{tail}")


class _Loads:
    """The timed loads of one backend: chained appends and the unchained baseline."""

    def __init__(self, engine: Engine, log: AuditLog, *, quick: bool) -> None:
        self.engine, self.log = engine, log
        self.plain = _prepare(engine).tables["plain_record"]
        self.singles, self.batches = (100, 3) if quick else (500, 10)
        self.offset = 1_000_000

    def chained_single(self) -> None:
        for number in range(self.singles):
            with Session(self.engine) as session, session.begin():
                self.log.append(session, [_entry(number)], AT)

    def plain_single(self) -> None:
        for _ in range(self.singles):
            self.offset += 1
            with Session(self.engine) as session, session.begin():
                session.execute(insert(self.plain), _plain_rows(self.offset, 1))

    def chained_batch(self) -> None:
        for batch in range(self.batches):
            with Session(self.engine) as session, session.begin():
                self.log.append(session, [_entry(batch * 1000 + i) for i in range(1000)], AT)

    def plain_batch(self) -> None:
        for _ in range(self.batches):
            with Session(self.engine) as session, session.begin():
                session.execute(insert(self.plain), _plain_rows(self.offset + 1, 1000))
            self.offset += 1000


def _appends(engine: Engine, log: AuditLog, repeats: int, *, quick: bool) -> None:
    loads = _Loads(engine, log, quick=quick)
    frames = [
        b"podium.audit.record.v1" + record_hash(GENESIS_HASH, n, AT, _entry(n)).encode() * 3
        for n in range(10_000)
    ]

    def sha_only() -> None:
        for frame in frames:
            hashlib.sha256(frame).hexdigest()

    one = _rate(loads.singles, repeats, loads.chained_single)
    one_plain = _rate(loads.singles, repeats, loads.plain_single)
    bulk = _rate(loads.batches * 1000, repeats, loads.chained_batch)
    bulk_plain = _rate(loads.batches * 1000, repeats, loads.plain_batch)
    sha = _rate(len(frames), repeats, sha_only)
    _line("append, batches of 1 (1 txn each)", one, "records/s")
    _line("  baseline plain INSERT, same rows", one_plain, "rows/s   ", one / one_plain)
    _line("append, batches of 1,000", bulk, "records/s")
    _line("  baseline plain INSERT, same rows", bulk_plain, "rows/s   ", bulk / bulk_plain)
    _line("  baseline hashlib.sha256 only", sha, "hashes/s ", bulk / sha)


def _build(engine: Engine, log: AuditLog, count: int) -> float:
    start = time.perf_counter()
    for first in range(0, count, 50_000):
        with Session(engine) as session, session.begin():
            size = min(50_000, count - first)
            log.append(session, [_entry(first + i) for i in range(size)], AT)
    return time.perf_counter() - start


def _verification(engine: Engine, log: AuditLog, key_dir: Path, count: int, repeats: int) -> None:
    _prepare(engine)
    built = _build(engine, log, count)
    print(f"  chain of {count:,} records built in {built:.1f} s ({count / built:,.0f} records/s)")
    keys = trusted_public_keys(key_dir)
    seconds, growth = [], []
    for _ in range(repeats):
        before = process_memory(os.getpid()).rss_mib
        start = time.perf_counter()
        with Session(engine) as session:
            report = verify(session, keys)
        seconds.append(time.perf_counter() - start)
        growth.append(process_memory(os.getpid()).rss_mib - before)
        if not report.ok or report.records != count:
            sys.exit(f"verification failed: {report.problems[:5]}")
    entries = [_entry(n) for n in range(1000)]

    def hash_only() -> None:
        prev = GENESIS_HASH
        for number in range(1, count + 1):
            prev = record_hash(prev, number, AT, entries[number % 1000])

    took = median(seconds)
    baseline = _rate(count, 1, hash_only)
    print(f"  {'verify':<36}{took:>12.2f} s")
    _line("verify rate", count / took, "records/s")
    print(f"  {'RSS after verify minus before':<36}{max(growth):>12.1f} MiB")
    _line("  baseline record_hash, no DB", baseline, "records/s", count / took / baseline)
    print(f"    {report.checkpoints} checkpoints, sealed through record {report.sealed}")


def _backend(name: str, urls: list[str], key_dir: Path, args: Namespace, count: int) -> None:
    """Measure one backend: appends in the first database, verification in the second."""
    repeats, quick = args.repeats, args.quick
    signer = CheckpointSigner.load_or_create(key_dir)
    engine = make_engine(urls[0])
    try:
        print(f"{name}: appends (median of {repeats})")
        _appends(engine, AuditLog(signer), repeats, quick=quick)
    finally:
        engine.dispose()
    engine = make_engine(urls[1])
    try:
        print(f"{name}: verification (median of {repeats})")
        _verification(engine, AuditLog(signer), key_dir, count, repeats)
    finally:
        engine.dispose()


def main() -> None:
    """Measure appends and verification on SQLite, then PostgreSQL if it answers."""
    parser = base_parser(__doc__.splitlines()[1], repeats=3)
    parser.add_argument("--no-pg", action="store_true", help="measure SQLite only")
    args = parser.parse_args()
    if args.quick:
        args.repeats = 1
    count = 50_000 if args.quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="podium-bench-audit-") as folder:
        root = Path(folder)
        files = [f"sqlite:///{root / name}.sqlite" for name in ("appends", "verify")]
        _backend("SQLite", files, root / "keys", args, count)
        reason = "--no-pg" if args.no_pg else pg_reachable()
        if reason:
            print(f"PostgreSQL not measured: {reason}")
            return
        names = [f"podium_bench_audit_{part}_{os.getpid()}" for part in ("appends", "verify")]
        with throwaway_pg_databases(*names) as urls:
            _backend("PostgreSQL", urls, root / "keys", args, min(count, 200_000))


if __name__ == "__main__":
    main()
