"""The privacy services of one node, opened together from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from podium.core.settings import Settings
from podium.privacy.audit import ANCHOR_FILE, AuditLog, CheckpointSigner
from podium.privacy.fields import FieldCipher
from podium.privacy.keys import SubjectKeys, open_subject_keys
from podium.privacy.policy import PolicyDecisionPoint, load_policy
from podium.privacy.pseudonyms import pseudonym_key

__all__ = ["Spine", "open_spine"]


@dataclass(frozen=True)
class Spine:
    """The policy decision point, key store, field cipher and audit log of a node.

    Attributes:
        pdp: the one policy decision point, from the policy file loaded at start.
        keys: per-subject data keys, wrapped by the master key, in the key store.
        cipher: AES-GCM field encryption with those keys.
        audit: the hash-chained audit log with signed checkpoints.
        pseudonym_key: the installation's pseudonymisation key.
        key_dir: the key store folder (apart from both databases).

    """

    pdp: PolicyDecisionPoint
    keys: SubjectKeys
    cipher: FieldCipher
    audit: AuditLog
    pseudonym_key: bytes
    key_dir: Path

    def close(self) -> None:
        """Close the key store."""
        self.keys.close()


def open_spine(settings: Settings) -> Spine:
    """Open the privacy services from the settings.

    Args:
        settings: the node's settings: `key_store()` folder, `policy_file`,
            `audit_checkpoint_every`; the master key comes from `PODIUM_MASTER_KEY` or
            `<key folder>/master.keys`.

    Raises:
        PolicyError: the policy file is invalid (says file, rule and field).
        MasterKeyError: the master key is malformed.
    """
    key_dir = settings.key_store()
    keys = open_subject_keys(key_dir)
    return Spine(
        pdp=PolicyDecisionPoint(load_policy(settings.policy_file)),
        keys=keys,
        cipher=FieldCipher(keys),
        audit=AuditLog(
            CheckpointSigner.load_or_create(key_dir),
            checkpoint_every=settings.audit_checkpoint_every,
            anchor=key_dir / ANCHOR_FILE,
        ),
        pseudonym_key=pseudonym_key(key_dir),
        key_dir=key_dir,
    )
