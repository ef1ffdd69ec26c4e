"""The audit log: a hash chain with signed checkpoints that names what an attacker touched.

Every tampering is done as an attacker with write access to the database would: raw SQL
on a real SQLite file (and a real PostgreSQL server for concurrent appends).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from podium.cli.audit import app
from podium.core.db import SovereignBase, make_engine, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.privacy.audit import (
    ANCHOR_FILE,
    GENESIS_HASH,
    AuditAnchorError,
    AuditCheckpoint,
    AuditEntry,
    AuditEntryError,
    AuditHead,
    AuditIntegrityError,
    AuditKeyError,
    AuditLog,
    AuditRecord,
    CheckpointSigner,
    VerifyReport,
    checkpoint_message,
    key_id_of,
    load_anchor,
    record_hash,
    records_about,
    trusted_public_keys,
    verify,
)
from tests.conftest import POSTGRES_URL, require_service

AUDIT_TABLES = [
    SovereignBase.metadata.tables[name]
    for name in ("audit_record", "audit_checkpoint", "audit_head")
]
T0 = datetime(2024, 7, 26, 19, 30, tzinfo=UTC)
N = 3000
EVERY = 500


def entry(number: int) -> AuditEntry:
    """A varied entry: reads, refusals and writes about 50 pseudonymous subjects."""
    decision = ("allow", "pseudonymise", "deny", "write")[number % 4]
    return AuditEntry(
        operator=f"acct-{number % 7:04d}",
        action="people.person.update" if decision == "write" else "people.person.read",
        subject=f"S{number % 50:08d}",
        fields=("full_name", "birth_date") if number % 3 else (),
        purpose="accreditation" if number % 5 else None,
        decision=decision,
        reason="operator outside the EU/EEA" if decision == "deny" else None,
    )


@pytest.fixture
def key_dir(tmp_path: Path) -> Path:
    return tmp_path / "keys"


@pytest.fixture
def signer(key_dir: Path) -> CheckpointSigner:
    return CheckpointSigner.load_or_create(key_dir)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'sovereign.sqlite'}")
    SovereignBase.metadata.create_all(engine, tables=AUDIT_TABLES)
    yield engine
    engine.dispose()


@pytest.fixture
def chain(engine: Engine, signer: CheckpointSigner) -> Engine:
    """N records in batches of 100, one second apart, a checkpoint every EVERY records."""
    log = AuditLog(signer, EVERY)
    for batch in range(N // 100):
        with Session(engine) as session, session.begin():
            entries = [entry(batch * 100 + i) for i in range(100)]
            log.append(session, entries, T0 + timedelta(seconds=batch))
    return engine


def check(engine: Engine, key_dir: Path) -> VerifyReport:
    with Session(engine) as session:
        return verify(session, trusted_public_keys(key_dir))


def found(report: VerifyReport) -> list[tuple[int, str]]:
    return [(p.seq, p.kind) for p in report.problems]


def sql(engine: Engine, *statements: str, **params: object) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), params)


def row(engine: Engine, seq: int) -> dict[str, object]:
    with Session(engine) as session:
        record = session.get(AuditRecord, seq)
        assert record is not None
        return {c.key: getattr(record, c.key) for c in AuditRecord.__table__.columns}


def forge(prev_hash: str, seq: int, forged: AuditEntry, at: datetime = T0) -> dict[str, object]:
    """The parameters of a record an attacker who knows the algorithm would write."""
    return {
        "seq": seq,
        "at": at.strftime("%Y-%m-%d %H:%M:%S.%f"),
        "operator": forged.operator,
        "action": forged.action,
        "subject": forged.subject,
        "fields": ",".join(sorted(forged.fields)),
        "purpose": forged.purpose,
        "decision": forged.decision,
        "reason": forged.reason,
        "prev_hash": prev_hash,
        "hash": record_hash(prev_hash, seq, at, forged),
    }


INSERT_RECORD = (
    "INSERT INTO audit_record VALUES (:seq, :at, :operator, :action, :subject, :fields,"
    " :purpose, :decision, :reason, :prev_hash, :hash)"
)
ALIBI = AuditEntry("acct-0666", "people.person.read", "S00000001", ("full_name",), "audit", "allow")


# --- the record format ------------------------------------------------------------


def test_record_hash_follows_the_documented_encoding() -> None:
    def frame(value: str | None) -> bytes:
        if value is None:
            return b"\x00"
        data = value.encode()
        return b"\x01" + len(data).to_bytes(4, "big") + data

    at = datetime(2024, 7, 26, 21, 30, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    item = AuditEntry("acct-1", "people.person.read", None, ("b", "a", "b"), None, "deny", "é")
    values = [
        "podium.audit.record.v1",
        GENESIS_HASH,
        "7",
        "2024-07-26T19:30:00.123456Z",
        "acct-1",
        "people.person.read",
        None,
        "a,b",
        None,
        "deny",
        "é",
    ]
    expected = hashlib.sha256(b"".join(frame(v) for v in values)).hexdigest()
    assert record_hash(GENESIS_HASH, 7, at, item) == expected


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"action": "people.read"}, "audit_entry_invalid"),
        ({"action": "People.person.read"}, "audit_entry_invalid"),
        ({"fields": ("full_name,birth_date",)}, "audit_entry_invalid"),
        ({"operator": ""}, "audit_entry_invalid"),
        ({"subject": "S" * 65}, "audit_entry_invalid"),
        ({"decision": "Allow"}, "audit_entry_invalid"),
    ],
)
def test_malformed_entries_are_refused_with_a_stable_code(
    change: dict[str, object], code: str
) -> None:
    values: dict[str, object] = {
        "operator": "acct-1",
        "action": "people.person.read",
        "subject": "S1",
        "fields": ("full_name",),
        "purpose": "accreditation",
        "decision": "allow",
    }
    with pytest.raises(AuditEntryError) as error:
        AuditEntry(**{**values, **change})  # type: ignore[arg-type]
    assert error.value.code == code


def test_a_naive_time_is_refused(engine: Engine, signer: CheckpointSigner) -> None:
    with Session(engine) as session, pytest.raises(AuditEntryError):
        AuditLog(signer).append(session, [entry(1)], datetime(2024, 7, 26, 12))  # noqa: DTZ001


# --- appending ----------------------------------------------------------------------


def test_an_untouched_chain_verifies(chain: Engine, key_dir: Path) -> None:
    report = check(chain, key_dir)
    assert report.ok, report.problems
    assert (report.records, report.checkpoints, report.head, report.sealed) == (N, 6, N, N)


def test_one_bulk_append_of_12000_entries_is_chained_and_sealed(
    engine: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    with Session(engine) as session, session.begin():
        last = AuditLog(signer).append(session, [entry(i) for i in range(12_000)])
    assert last == 12_000
    report = check(engine, key_dir)
    assert report.ok
    assert (report.checkpoints, report.sealed) == (12, 12_000)


def test_records_keep_their_time_in_utc_and_fields_sorted(
    engine: Engine, signer: CheckpointSigner
) -> None:
    paris = datetime(2024, 7, 26, 21, 30, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    with Session(engine) as session, session.begin():
        AuditLog(signer).append(session, [entry(1)], paris)
    stored = row(engine, 1)
    assert stored["at"] == paris
    assert stored["fields"] == "birth_date,full_name"
    assert stored["prev_hash"] == GENESIS_HASH


def test_a_rolled_back_business_write_leaves_no_audit_record(
    engine: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    log = AuditLog(signer, 1)
    with Session(engine) as session:
        log.append(session, [entry(1), entry(2)], T0)
        session.rollback()
    with Session(engine) as session, session.begin():
        assert log.append(session, [entry(3)], T0) == 1
    with Session(engine) as session:
        assert session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)).all() == [1]
        assert session.scalars(select(AuditCheckpoint.seq)).all() == [1]
    assert check(engine, key_dir).ok


def test_forced_checkpoint_seals_the_head_once(
    engine: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    log = AuditLog(signer, 1000, clock=lambda: T0)
    with Session(engine) as session, session.begin():
        assert log.checkpoint(session) is None
        log.append(session, [entry(i) for i in range(5)])
        assert log.checkpoint(session) == 5
        assert log.checkpoint(session) == 5
    report = check(engine, key_dir)
    assert report.ok
    assert (report.checkpoints, report.sealed) == (1, 5)


def test_a_log_without_key_cannot_checkpoint(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(AuditKeyError) as error:
        AuditLog(None).checkpoint(session)
    assert error.value.code == "audit_no_signer"


def test_appending_without_a_head_row_is_refused(chain: Engine, signer: CheckpointSigner) -> None:
    sql(chain, "DELETE FROM audit_head")
    with Session(chain) as session, pytest.raises(AuditIntegrityError) as error:
        AuditLog(signer).append(session, [entry(1)], T0)
    assert error.value.code == "audit_head_missing"


def test_records_about_a_subject_list_who_accessed_their_data(chain: Engine) -> None:
    with Session(chain) as session:
        records = records_about(session, "S00000007")
    assert [r.seq for r in records] == list(range(8, N + 1, 50))
    assert {r.operator for r in records} <= {f"acct-{i:04d}" for i in range(7)}


def append_in_threads(  # noqa: PLR0913 - the log, where, and the shape of the load
    log: AuditLog, engine: Engine, *, workers: int, appends: int, size: int, stride: int
) -> list[BaseException]:
    """Append from `workers` threads, one transaction per append; return what they raised."""
    errors: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for number in range(appends):
                with Session(engine) as session, session.begin():
                    log.append(session, [entry(worker * stride + number)] * size, T0)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_threads_appending_on_sqlite_make_one_contiguous_chain(
    engine: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    log = AuditLog(signer, 50)
    errors = append_in_threads(log, engine, workers=2, appends=60, size=3, stride=1000)
    assert errors == []
    with Session(engine) as session:
        assert session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)).all() == list(
            range(1, 361)
        )
    report = check(engine, key_dir)
    assert report.ok, report.problems
    assert report.checkpoints == 7


@pytest.mark.postgres
def test_threads_appending_on_postgresql_make_one_contiguous_chain(
    signer: CheckpointSigner, key_dir: Path
) -> None:
    require_service("PostgreSQL", POSTGRES_URL, 5432)
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    name = f"podium_test_audit_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(POSTGRES_URL).set(database=name).render_as_string(False))
    try:
        SovereignBase.metadata.create_all(engine, tables=AUDIT_TABLES)
        log = AuditLog(signer, 25)
        errors = append_in_threads(log, engine, workers=4, appends=40, size=2, stride=100)
        assert errors == []
        with Session(engine) as session:
            assert session.scalars(select(AuditRecord.seq).order_by(AuditRecord.seq)).all() == list(
                range(1, 321)
            )
            head = session.get(AuditHead, 1)
            assert head is not None
            assert head.seq == 320
        report = check(engine, key_dir)
        assert report.ok, report.problems
        assert (report.records, report.checkpoints) == (320, 12)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- tampering ----------------------------------------------------------------------


def test_an_edited_field_names_its_record(chain: Engine, key_dir: Path) -> None:
    sql(chain, "UPDATE audit_record SET operator = 'acct-0666' WHERE seq = 1234")
    report = check(chain, key_dir)
    assert found(report) == [(1234, "edited")]
    assert "does not match its hash" in report.problems[0].detail


def test_an_edited_record_with_a_recomputed_hash_is_named_through_the_next_link(
    chain: Engine, key_dir: Path
) -> None:
    original = row(chain, 1234)
    new_hash = record_hash(str(original["prev_hash"]), 1234, T0 + timedelta(seconds=12), ALIBI)
    sql(
        chain,
        "UPDATE audit_record SET operator = :operator, at = :at, subject = :subject,"
        " fields = :fields, purpose = :purpose, decision = :decision, reason = NULL,"
        " action = :action, hash = :hash WHERE seq = 1234",
        **forge(str(original["prev_hash"]), 1234, ALIBI),
    )
    assert new_hash != original["hash"]
    report = check(chain, key_dir)
    assert found(report) == [(1234, "edited")]
    assert "seq 1235 still links to its original hash" in report.problems[0].detail


def test_a_deleted_record_is_named(chain: Engine, key_dir: Path) -> None:
    sql(chain, "DELETE FROM audit_record WHERE seq = 1234")
    report = check(chain, key_dir)
    assert found(report) == [(1234, "deleted")]
    assert "record 1234 is missing" in report.problems[0].detail


def test_a_deleted_run_of_records_is_named_once(chain: Engine, key_dir: Path) -> None:
    sql(chain, "DELETE FROM audit_record WHERE seq BETWEEN 1234 AND 1300")
    report = check(chain, key_dir)
    assert found(report) == [(1234, "deleted")]
    assert "records 1234..1300 are missing" in report.problems[0].detail


def test_a_deleted_record_is_named_even_when_the_rest_is_renumbered(
    chain: Engine, key_dir: Path
) -> None:
    sql(
        chain,
        "DELETE FROM audit_record WHERE seq = 1234",
        "UPDATE audit_record SET seq = -seq WHERE seq > 1234",
        "UPDATE audit_record SET seq = -seq - 1 WHERE seq < 0",
        "UPDATE audit_head SET seq = :last",
        last=N - 1,
    )
    assert found(check(chain, key_dir)) == [(1234, "deleted")]


def test_deleting_the_last_records_is_caught_by_the_head(chain: Engine, key_dir: Path) -> None:
    sql(chain, "DELETE FROM audit_record WHERE seq > :last", last=N - 3)
    report = check(chain, key_dir)
    assert set(found(report)) == {(N - 2, "truncated"), (N, "truncated")}
    assert f"head is at record {N}" in report.problems[0].detail


def test_deleting_the_tail_and_rewriting_the_head_is_caught_by_the_last_checkpoint(
    chain: Engine, key_dir: Path
) -> None:
    last = row(chain, N - 10)
    sql(
        chain,
        "DELETE FROM audit_record WHERE seq > :seq",
        "UPDATE audit_head SET seq = :seq, hash = :hash",
        seq=N - 10,
        hash=last["hash"],
    )
    assert found(check(chain, key_dir)) == [(N, "truncated")]


def test_deleting_the_unsealed_tail_with_the_head_is_a_documented_limit(
    chain: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    with Session(chain) as session, session.begin():
        AuditLog(signer, EVERY).append(session, [entry(i) for i in range(10)], T0)
    sql(
        chain,
        "DELETE FROM audit_record WHERE seq > :seq",
        "UPDATE audit_head SET seq = :seq, hash = :hash",
        seq=N,
        hash=row(chain, N)["hash"],
    )
    report = check(chain, key_dir)
    assert report.ok
    assert report.sealed == N


def test_a_forged_record_inserted_in_the_middle_is_named(chain: Engine, key_dir: Path) -> None:
    before = row(chain, 1233)
    sql(
        chain,
        "UPDATE audit_record SET seq = -seq WHERE seq >= 1234",
        "UPDATE audit_record SET seq = -seq + 1 WHERE seq < 0",
        INSERT_RECORD,
        f"UPDATE audit_head SET seq = {N + 1}",  # noqa: S608  (a constant)
        **forge(str(before["hash"]), 1234, ALIBI),
    )
    report = check(chain, key_dir)
    assert found(report) == [(1234, "inserted")]
    assert "nothing links to it" in report.problems[0].detail


def test_a_forged_record_with_a_bad_hash_inserted_in_the_middle_is_named(
    chain: Engine, key_dir: Path
) -> None:
    forged = {**forge("f" * 64, 1234, ALIBI), "hash": "e" * 64}
    sql(
        chain,
        "UPDATE audit_record SET seq = -seq WHERE seq >= 1234",
        "UPDATE audit_record SET seq = -seq + 1 WHERE seq < 0",
        INSERT_RECORD,
        **forged,
    )
    assert found(check(chain, key_dir)) == [(1234, "inserted")]


def test_a_forged_record_appended_after_the_head_is_named(chain: Engine, key_dir: Path) -> None:
    sql(chain, INSERT_RECORD, **forge(str(row(chain, N)["hash"]), N + 1, ALIBI))
    report = check(chain, key_dir)
    assert found(report) == [(N + 1, "inserted")]
    assert "beyond the chain head" in report.problems[0].detail


def test_two_swapped_records_are_reported_as_reordered(chain: Engine, key_dir: Path) -> None:
    sql(
        chain,
        "UPDATE audit_record SET seq = -1 WHERE seq = 1234",
        "UPDATE audit_record SET seq = 1234 WHERE seq = 1235",
        "UPDATE audit_record SET seq = 1235 WHERE seq = -1",
    )
    report = check(chain, key_dir)
    assert sorted(found(report)) == [(1234, "reordered"), (1235, "reordered")]


def test_a_record_moved_a_few_places_is_reported_as_reordered(chain: Engine, key_dir: Path) -> None:
    sql(
        chain,
        "UPDATE audit_record SET seq = -1 WHERE seq = 1234",
        "UPDATE audit_record SET seq = -seq WHERE seq BETWEEN 1235 AND 1240",
        "UPDATE audit_record SET seq = -seq - 1 WHERE seq < -1",
        "UPDATE audit_record SET seq = 1240 WHERE seq = -1",
    )
    report = check(chain, key_dir)
    assert {kind for _, kind in found(report)} == {"reordered"}
    assert 1240 in {seq for seq, _ in found(report)}


def test_a_consistent_rewrite_is_caught_by_the_next_checkpoint(
    chain: Engine, key_dir: Path
) -> None:
    prev = str(row(chain, 1233)["hash"])
    with chain.begin() as conn:
        for seq in range(1234, N + 1):
            forged = forge(prev, seq, ALIBI)
            conn.execute(text("DELETE FROM audit_record WHERE seq = :seq"), {"seq": seq})
            conn.execute(text(INSERT_RECORD), forged)
            prev = str(forged["hash"])
        conn.execute(text("UPDATE audit_head SET hash = :hash"), {"hash": prev})
    report = check(chain, key_dir)
    assert found(report) == [(seq, "checkpoint_mismatch") for seq in (1500, 2000, 2500, 3000)]


def test_a_forged_checkpoint_signature_is_reported(chain: Engine, key_dir: Path) -> None:
    sql(chain, "UPDATE audit_checkpoint SET signature = :sig WHERE seq = 1000", sig="ab" * 64)
    assert found(check(chain, key_dir)) == [(1000, "checkpoint_signature")]


def test_a_checkpoint_signed_by_a_key_outside_the_key_folder_is_reported(
    chain: Engine, key_dir: Path
) -> None:
    intruder = Ed25519PrivateKey.generate()
    intruder_id = key_id_of(intruder.public_key())
    record = row(chain, 1000)
    message = checkpoint_message(1000, str(record["hash"]), T0, intruder_id)
    sql(
        chain,
        "UPDATE audit_checkpoint SET key_id = :key_id, signature = :sig, at = :at WHERE seq = 1000",
        key_id=intruder_id,
        sig=intruder.sign(message).hex(),
        at=T0.strftime("%Y-%m-%d %H:%M:%S.%f"),
    )
    report = check(chain, key_dir)
    assert found(report) == [(1000, "checkpoint_signature")]
    assert "not a trusted key" in report.problems[0].detail


def test_a_forged_checkpoint_hash_is_reported(chain: Engine, key_dir: Path) -> None:
    sql(chain, "UPDATE audit_checkpoint SET hash = :h WHERE seq = 1500", h="0" * 64)
    assert set(found(check(chain, key_dir))) == {
        (1500, "checkpoint_signature"),
        (1500, "checkpoint_mismatch"),
    }


def test_a_deleted_head_row_is_reported(chain: Engine, key_dir: Path) -> None:
    sql(chain, "DELETE FROM audit_head")
    assert found(check(chain, key_dir)) == [(0, "head")]


def test_problems_beyond_the_limit_are_counted(chain: Engine, key_dir: Path) -> None:
    sql(chain, "UPDATE audit_record SET purpose = 'x' WHERE seq <= 40")
    with Session(chain) as session:
        report = verify(session, trusted_public_keys(key_dir), max_problems=10)
    assert (len(report.problems), report.omitted, report.ok) == (10, 30, False)


# --- keys ---------------------------------------------------------------------------


def test_the_signing_key_is_private_and_its_public_key_is_published(
    key_dir: Path, signer: CheckpointSigner
) -> None:
    private = key_dir / "audit-signing.key"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert len(signer.key_id) == 16
    assert list(trusted_public_keys(key_dir)) == [signer.key_id]
    assert CheckpointSigner.load_or_create(key_dir).key_id == signer.key_id


def test_a_key_readable_by_others_is_refused(key_dir: Path, signer: CheckpointSigner) -> None:
    (key_dir / "audit-signing.key").chmod(0o644)
    with pytest.raises(AuditKeyError) as error:
        CheckpointSigner.load_or_create(key_dir)
    assert error.value.code == "audit_key_permissions"
    with pytest.raises(AuditKeyError) as error:
        signer.sign(b"the running signer follows its file: it refuses an exposed key too")
    assert error.value.code == "audit_key_permissions"


def test_a_planted_public_key_under_another_id_is_refused(
    key_dir: Path, signer: CheckpointSigner
) -> None:
    other = key_dir / "audit-public" / f"{signer.key_id}.pem"
    rotated = CheckpointSigner.rotate(key_dir)
    other.write_bytes((key_dir / "audit-public" / f"{rotated.key_id}.pem").read_bytes())
    with pytest.raises(AuditKeyError) as error:
        trusted_public_keys(key_dir)
    assert error.value.code == "audit_key_mismatch"


def test_checkpoints_of_a_rotated_key_still_verify(
    chain: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    old_kid = signer.key_id
    rotated = CheckpointSigner.rotate(key_dir)
    assert rotated.key_id != old_kid
    assert CheckpointSigner.load_or_create(key_dir).key_id == rotated.key_id
    assert signer.key_id == rotated.key_id  # a signer loaded before follows the file
    with Session(chain) as session, session.begin():
        AuditLog(rotated, EVERY).append(session, [entry(i) for i in range(600)], T0)
    report = check(chain, key_dir)
    assert report.ok
    assert set(trusted_public_keys(key_dir)) == {old_kid, rotated.key_id}
    with Session(chain) as session:
        keys = set(session.scalars(select(AuditCheckpoint.key_id)))
    assert keys == {old_kid, rotated.key_id}


# --- the command --------------------------------------------------------------------


@pytest.fixture
def node(tmp_path: Path) -> Settings:
    """A migrated SQLite node whose sovereign plane holds 120 audit records."""
    settings = Settings(data_dir=tmp_path / "node")
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    SovereignBase.metadata.create_all(planes.sovereign, tables=AUDIT_TABLES)
    signer = CheckpointSigner.load_or_create(settings.key_store())
    with planes.sovereign_session() as session:
        AuditLog(signer, 50).append(session, [entry(i) for i in range(120)], T0)
    planes.dispose()
    return settings


def test_audit_verify_command_passes_an_untouched_chain(node: Settings) -> None:
    result = CliRunner().invoke(app, ["verify"], obj=node)
    assert result.exit_code == 0, result.output
    assert "120 records, 2 checkpoints verified" in result.output


def test_audit_verify_command_lists_problems_and_exits_1(node: Settings) -> None:
    engine = make_engine(node.sovereign_url())
    sql(engine, "UPDATE audit_record SET subject = 'S99999999' WHERE seq = 77")
    engine.dispose()
    result = CliRunner().invoke(app, ["verify"], obj=node)
    assert result.exit_code == 1
    assert "edited" in result.output
    assert "77" in result.output
    result = CliRunner().invoke(app, ["verify", "--json"], obj=node)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["problems"] == [
        {"seq": 77, "kind": "edited", "detail": "its content does not match its hash"}
    ]


def test_audit_checkpoint_command_seals_the_head(node: Settings) -> None:
    result = CliRunner().invoke(app, ["checkpoint"], obj=node)
    assert result.exit_code == 0, result.output
    assert "120" in result.output
    verified = CliRunner().invoke(app, ["verify", "--json"], obj=node)
    assert json.loads(verified.stdout)["sealed"] == 120


_TAMPERING = {
    "edited": ["UPDATE audit_record SET purpose = 'marketing' WHERE seq = 60"],
    "deleted": ["DELETE FROM audit_record WHERE seq = 60"],
    "reordered": [
        "UPDATE audit_record SET seq = -1 WHERE seq = 60",
        "UPDATE audit_record SET seq = 60 WHERE seq = 61",
        "UPDATE audit_record SET seq = 61 WHERE seq = -1",
    ],
}


@pytest.mark.parametrize("kind", [*_TAMPERING, "inserted"])
def test_the_podium_command_names_each_kind_of_tampering(node: Settings, kind: str) -> None:
    """`podium --data-dir … audit verify`, end to end, for each kind of tampering."""
    from podium.cli.main import app as podium  # noqa: PLC0415

    engine = make_engine(node.sovereign_url())
    if kind == "inserted":
        before = row(engine, 59)
        sql(
            engine,
            "UPDATE audit_record SET seq = -seq WHERE seq >= 60",
            "UPDATE audit_record SET seq = -seq + 1 WHERE seq < 0",
            INSERT_RECORD,
            **forge(str(before["hash"]), 60, ALIBI),
        )
    else:
        sql(engine, *_TAMPERING[kind])
    engine.dispose()
    result = CliRunner().invoke(
        podium, ["--data-dir", str(node.data_dir), "audit", "verify", "--json"]
    )
    assert result.exit_code == 1, result.output
    problems = json.loads(result.stdout)["problems"]
    assert (60, kind) in {(p["seq"], p["kind"]) for p in problems}


# --- the anchor outside the database --------------------------------------------------


def _anchored(engine: Engine, signer: CheckpointSigner, key_dir: Path, count: int) -> AuditLog:
    log = AuditLog(signer, EVERY, anchor=key_dir / ANCHOR_FILE)
    for batch in range(count // 100):
        with Session(engine) as session, session.begin():
            log.append(session, [entry(batch * 100 + i) for i in range(100)], T0)
    return log


def test_the_newest_checkpoint_is_copied_outside_the_database_on_commit_only(
    engine: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    log = _anchored(engine, signer, key_dir, 1200)
    anchor = load_anchor(key_dir / ANCHOR_FILE)
    assert anchor is not None
    assert (anchor.seq, anchor.hash) == (1000, row(engine, 1000)["hash"])
    with Session(engine) as session:
        session.begin()
        log.append(session, [entry(i) for i in range(400)], T0)  # would seal 1500
        session.rollback()
    assert load_anchor(key_dir / ANCHOR_FILE) == anchor


def test_cutting_records_and_their_checkpoints_off_the_end_is_caught_by_the_anchor(
    engine: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    _anchored(engine, signer, key_dir, 1200)
    sql(
        engine,
        "DELETE FROM audit_record WHERE seq > 600",
        "DELETE FROM audit_checkpoint WHERE seq > 600",
        "UPDATE audit_head SET seq = 600, hash = :hash",
        hash=row(engine, 600)["hash"],
    )
    assert check(engine, key_dir).ok  # what the database alone still proves
    with Session(engine) as session:
        report = verify(
            session, trusted_public_keys(key_dir), anchor=load_anchor(key_dir / ANCHOR_FILE)
        )
    assert found(report) == [(1000, "truncated")]


def test_a_rewritten_checkpoint_at_the_anchor_is_reported(
    engine: Engine, signer: CheckpointSigner, key_dir: Path
) -> None:
    _anchored(engine, signer, key_dir, 1000)
    sql(engine, "UPDATE audit_checkpoint SET signature = :sig WHERE seq = 1000", sig="00" * 64)
    with Session(engine) as session:
        report = verify(
            session, trusted_public_keys(key_dir), anchor=load_anchor(key_dir / ANCHOR_FILE)
        )
    assert (1000, "checkpoint_mismatch") in found(report)


def test_a_damaged_anchor_file_is_refused_with_its_name(key_dir: Path) -> None:
    key_dir.mkdir(parents=True, exist_ok=True)
    (key_dir / ANCHOR_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(AuditAnchorError, match=ANCHOR_FILE):
        load_anchor(key_dir / ANCHOR_FILE)


def test_the_podium_command_catches_a_cut_tail_on_a_real_node(tmp_path: Path) -> None:
    """A node whose audit log runs through the spine: records cut with their checkpoints."""
    from podium.cli.main import app as podium  # noqa: PLC0415
    from podium.privacy.spine import open_spine  # noqa: PLC0415

    settings = Settings(data_dir=tmp_path / "node", audit_checkpoint_every=100)
    planes = open_planes(settings)
    upgrade_all(planes.games, planes.sovereign)
    spine = open_spine(settings)
    for batch in range(3):
        with planes.sovereign_session() as session:
            spine.audit.append(session, [entry(batch * 100 + i) for i in range(100)], T0)
    spine.close()
    planes.dispose()
    engine = make_engine(settings.sovereign_url())
    sql(
        engine,
        "DELETE FROM audit_record WHERE seq > 150",
        "DELETE FROM audit_checkpoint WHERE seq > 150",
        "UPDATE audit_head SET seq = 150, hash = :hash",
        hash=row(engine, 150)["hash"],
    )
    engine.dispose()
    result = CliRunner().invoke(
        podium, ["--data-dir", str(settings.data_dir), "audit", "verify", "--json"]
    )
    assert result.exit_code == 1, result.output
    assert (300, "truncated") in {
        (p["seq"], p["kind"]) for p in json.loads(result.stdout)["problems"]
    }
