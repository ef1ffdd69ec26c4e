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

    chain     tables, entries, the canonical encoding (documented there), `AuditLog`
    errors    the log's errors and their codes
    signing   the checkpoint key: `CheckpointSigner`, `trusted_public_keys`
    anchor    the newest checkpoint copied into the key folder after its commit
    verify    `verify` and its report

Threat model and limits: the attacker can read and write the sovereign database but not
the key folder. Because `n` is inside the hash, each untouched record proves its own
original position, which is how `verify` tells an edit from a deletion, an insertion or a
reordering (`ProblemKind`). A consistent rewrite of every record from some point on (with
the head) is caught at the first signed checkpoint at or after that point, but `verify`
cannot say which record in between was touched. Records after the last checkpoint are
only as trustworthy as the database: an attacker may rewrite them, append plausible ones,
or delete them together with the head (the log then looks shorter, back to the last
checkpoint). Deleting the newest checkpoints too would shorten what is sealed, but the
newest checkpoint is also copied to the key folder (`anchor`), and `verify` requires the
chain to reach it: what can go unnoticed is at most the records after the newest
checkpoint (`checkpoint_every` − 1; a node signs every 100 records by default,
`PODIUM_AUDIT_CHECKPOINT_EVERY`). Whoever holds the signing
key can forge everything: keep the key folder off the database host. `verify` classifies
within a window of `WINDOW` records: a record moved farther than that is reported as a
deletion plus a reordering.
"""

from podium.privacy.audit.anchor import (
    ANCHOR_FILE,
    AuditAnchor,
    AuditAnchorError,
    load_anchor,
    write_anchor,
)
from podium.privacy.audit.chain import (
    GENESIS_HASH,
    AuditCheckpoint,
    AuditEntry,
    AuditHead,
    AuditLog,
    AuditRecord,
    checkpoint_message,
    record_hash,
    records_about,
)
from podium.privacy.audit.errors import AuditEntryError, AuditIntegrityError, AuditKeyError
from podium.privacy.audit.signing import CheckpointSigner, key_id_of, trusted_public_keys
from podium.privacy.audit.verify import WINDOW, Problem, ProblemKind, VerifyReport, verify

__all__ = [
    "ANCHOR_FILE",
    "GENESIS_HASH",
    "WINDOW",
    "AuditAnchor",
    "AuditAnchorError",
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
    "load_anchor",
    "record_hash",
    "records_about",
    "trusted_public_keys",
    "verify",
    "write_anchor",
]
