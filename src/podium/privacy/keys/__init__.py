"""Per-subject data keys, wrapped by a master key, kept in a key store apart from the data.

Envelope encryption (see `podium.privacy.fields` for the whole design): every (data subject,
data category) pair has its own random 256-bit data key; the key store holds it only
wrapped by a master key; destroying the wrapped key crypto-shreds every copy of the data
encrypted with it (GDPR Art. 17 erasure, Art. 32 security of processing).

    MasterKeyring   the master keys (PODIUM_MASTER_KEY, or `<key_dir>/master.keys`)
    MasterKeyFile   the key file's keyring, read again when a rotation replaces the file
    KeyStore        where wrapped data keys live (protocol: a KMS or Vault would fit)
    LocalKeyStore   the default store, `<key_dir>/subject-keys.sqlite`
    SubjectKeys     the service: data_key, shred, rewrap_all, create_many

Wrapping uses AES key wrap (RFC 3394, NIST SP 800-38F "KW") rather than AES-GCM: it was
made for wrapping keys, needs no nonce (so there is no nonce budget per master key to
track across 36,000 wraps and every rotation), and it carries its own integrity check,
so a wrong master key or a damaged blob is detected on unwrap.

Modules: `keyring` (master keys and their file), `store` (key stores), `service`
(`SubjectKeys`, `key_id`, `open_subject_keys`).
"""

from podium.privacy.keys.keyring import (
    KEY_BYTES,
    MASTER_KEY_ENV,
    MASTER_KEY_FILE,
    MasterKeyFile,
    MasterKeyring,
    MasterKeySource,
    WrappedKey,
    retire_master_key,
    rotate_master_key,
)
from podium.privacy.keys.service import SubjectKeys, key_id, open_subject_keys
from podium.privacy.keys.store import STORE_FILE, KeyStore, LocalKeyStore

__all__ = [
    "KEY_BYTES",
    "MASTER_KEY_ENV",
    "MASTER_KEY_FILE",
    "STORE_FILE",
    "KeyStore",
    "LocalKeyStore",
    "MasterKeyFile",
    "MasterKeySource",
    "MasterKeyring",
    "SubjectKeys",
    "WrappedKey",
    "key_id",
    "open_subject_keys",
    "retire_master_key",
    "rotate_master_key",
]
