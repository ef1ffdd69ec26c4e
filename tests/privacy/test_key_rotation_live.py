"""Keys rotated on the host count at once in a node's privacy services opened before.

A server opens its spine once (`open_spine`); `podium keys rotate` and `podium audit
rotate-key` run in another process and replace the key files. The running spine must
unwrap the rewrapped subject keys, wrap new ones under the new master key and seal the
next checkpoint with the new signing key, without a restart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import Planes, open_planes
from podium.core.settings import Settings
from podium.migrations import upgrade_all
from podium.privacy.audit import (
    AuditCheckpoint,
    AuditEntry,
    CheckpointSigner,
    trusted_public_keys,
    verify,
)
from podium.privacy.keys import (
    MASTER_KEY_FILE,
    LocalKeyStore,
    MasterKeyFile,
    MasterKeyring,
    SubjectKeys,
    key_id,
    rotate_master_key,
)
from podium.privacy.spine import Spine, open_spine

T0 = datetime(2024, 7, 26, 19, 30, tzinfo=UTC)


def _podium(settings: Settings, *args: str) -> str:
    """Run the `podium` command on the node, as the operator on the host would."""
    result = CliRunner().invoke(app, ["--data-dir", str(settings.data_dir), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _sealed_elsewhere(settings: Settings, subject: str, value: str) -> str:
    """Seal a field in another process's spine, so the running spine has no cached key."""
    other = open_spine(settings)
    try:
        return other.cipher.seal(subject, "identity", "full_name", value)
    finally:
        other.close()


def _master_of(spine: Spine, subject: str) -> str:
    wrapped = spine.keys.store.get(key_id(subject, "identity"))
    assert wrapped is not None
    return wrapped.master_id


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A fresh node of its own (never the shared imported one: these tests rotate keys)."""
    return Settings(data_dir=tmp_path / "node")


@pytest.fixture
def running(settings: Settings) -> Iterator[Spine]:
    """The spine of a server started before the rotation."""
    spine = open_spine(settings)
    yield spine
    spine.close()


def test_a_running_spine_reads_subject_keys_rewrapped_by_keys_rotate(
    settings: Settings, running: Spine
) -> None:
    ada = running.cipher.seal("subject-ada", "identity", "full_name", "Ada Lovelace")
    grace = _sealed_elsewhere(settings, "subject-grace", "Grace Hopper")
    old_id = running.keys.keyring.active_id
    out = _podium(settings, "keys", "rotate")
    assert "2 subject keys re-wrapped" in out
    new_id = MasterKeyring.load(settings.key_store(), environ={}).active_id
    assert new_id != old_id
    assert _master_of(running, "subject-grace") == new_id  # rewrapped on disk
    # The running spine never unwrapped Grace's key: it must know the new master key.
    assert running.cipher.open("subject-grace", "identity", "full_name", grace) == "Grace Hopper"
    assert running.cipher.open("subject-ada", "identity", "full_name", ada) == "Ada Lovelace"
    assert running.keys.keyring.active_id == new_id
    running.cipher.seal("subject-new", "identity", "full_name", "Katherine Johnson")
    assert _master_of(running, "subject-new") == new_id


def test_a_rotation_stopped_before_the_rewrap_leaves_every_key_readable(
    settings: Settings, running: Spine
) -> None:
    grace = _sealed_elsewhere(settings, "subject-grace", "Grace Hopper")
    old_id = running.keys.keyring.active_id
    new_id = rotate_master_key(settings.key_store()).active_id  # then the process died
    assert _master_of(running, "subject-grace") == old_id
    assert running.cipher.open("subject-grace", "identity", "full_name", grace) == "Grace Hopper"
    running.cipher.seal("subject-new", "identity", "full_name", "Katherine Johnson")
    assert _master_of(running, "subject-new") == new_id
    out = _podium(settings, "keys", "rotate")  # the operator runs it again
    assert "2 subject keys re-wrapped" in out
    latest = running.keys.keyring.active_id
    assert {_master_of(running, s) for s in ("subject-grace", "subject-new")} == {latest}
    fresh = _sealed_elsewhere(settings, "subject-ada", "Ada Lovelace")
    assert running.cipher.open("subject-ada", "identity", "full_name", fresh) == "Ada Lovelace"


def test_a_key_file_follower_reads_the_file_again_only_when_it_changed(tmp_path: Path) -> None:
    follower = MasterKeyFile(tmp_path)
    first = follower.current()
    assert follower.current() is first  # unchanged file: not read again
    rotated = rotate_master_key(tmp_path)
    assert follower.current() == rotated
    assert set(rotated.keys) == {first.active_id, rotated.active_id}
    assert (tmp_path / MASTER_KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_rewrap_all_with_the_rotated_file_keeps_following_it(tmp_path: Path) -> None:
    keys = SubjectKeys(LocalKeyStore(tmp_path), MasterKeyFile(tmp_path), cache_size=0)
    try:
        keys.create_many([("subject-1", "identity")])
        assert keys.rewrap_all(rotate_master_key(tmp_path)) == 1
        third = rotate_master_key(tmp_path)  # a later rotation, by another process
        assert keys.keyring == third
        assert keys.data_key("subject-1", "identity") is not None
    finally:
        keys.close()


@pytest.fixture
def planes(settings: Settings) -> Iterator[Planes]:
    node_planes = open_planes(settings)
    upgrade_all(node_planes.games, node_planes.sovereign)
    yield node_planes
    node_planes.dispose()


def _record(number: int) -> AuditEntry:
    return AuditEntry(
        operator="acct-0001",
        action="people.person.read",
        subject=f"S{number:08d}",
        fields=("full_name",),
        purpose="accreditation",
        decision="allow",
    )


def test_a_running_audit_log_seals_with_the_rotated_signing_key(
    settings: Settings, running: Spine, planes: Planes
) -> None:
    with planes.sovereign_session() as session:
        running.audit.append(session, [_record(1), _record(2)], T0)
        running.audit.checkpoint(session)
    old_kid = CheckpointSigner.load_or_create(settings.key_store()).key_id
    out = _podium(settings, "audit", "rotate-key")
    new_kid = out.split()[4]
    assert new_kid != old_kid
    assert running.audit.signer is not None
    assert running.audit.signer.key_id == new_kid
    with planes.sovereign_session() as session:
        running.audit.append(session, [_record(3)], T0)
        running.audit.checkpoint(session)
    with planes.sovereign_session() as session:
        sealed_by = list(
            session.scalars(select(AuditCheckpoint.key_id).order_by(AuditCheckpoint.seq))
        )
        report = verify(session, trusted_public_keys(settings.key_store()))
    assert sealed_by[0] == old_kid
    assert sealed_by[-1] == new_kid
    assert report.ok, report.problems
