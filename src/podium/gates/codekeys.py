"""The ticket code keys: one 32-byte secret per generation, kept in a file of the key folder.

The issuer signs tickets with its Ed25519 keyring (`podium.gates.keys`); the rotating codes
derive from these symmetric keys instead (`podium.gates.codes.ticket_secret`). A ticket
names the generation its code derives from; `rotate` makes a new generation for tickets
issued from then on, and a device package carries only the generations its sessions need.
The file is mode 0600 and replaced atomically; one process at a time rotates. Keys read
from the file follow it: every use compares its `FileStamp` and reads it again when
another process rotated, so a running server knows a new generation at once.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from pathlib import Path

from podium.gates.errors import KeyringError
from podium.gates.keys import FileStamp, read_stamped

__all__ = ["TICKET_CODE_KEYS_FILE", "TicketCodeKeys", "open_ticket_code_keys"]

TICKET_CODE_KEYS_FILE = "ticket-codes.json"
"""Name of the file inside a node's key folder."""
_KEY_BYTES = 32
_MAX_GENERATION = 255


class TicketCodeKeys(Mapping[int, bytes]):
    """The ticket code keys by generation, and the active generation.

    Args:
        keys: generation (0..255) -> key bytes.
        active: the generation new tickets use.
        path: the file they were read from, or None (in memory, for devices and tests).
        stamp: the file's stamp when `keys` were read from it; the keys are read again
            from `path` whenever the file's stamp differs (None: never, in memory).

    Raises:
        KeyringError: the active generation has no key; (on use) the file became unreadable.

    """

    def __init__(
        self,
        keys: Mapping[int, bytes],
        active: int,
        path: Path | None = None,
        stamp: FileStamp | None = None,
    ) -> None:
        """Hold the keys; see the class docstring."""
        if active not in keys:
            raise KeyringError(f"ticket code keys: active generation {active} has no key")
        self.path = path
        self._loaded = (stamp, dict(keys), active)

    def _current(self) -> tuple[dict[int, bytes], int]:
        """Return the keys and the active generation, read again if the file changed."""
        stamp, keys, active = self._loaded
        if stamp is not None and self.path is not None and FileStamp.at(self.path) != stamp:
            # One assignment: a thread using the keys meanwhile sees one version whole.
            self._loaded = _read(self.path)
            _, keys, active = self._loaded
        return keys, active

    @property
    def active(self) -> int:
        """Return the generation new tickets use."""
        return self._current()[1]

    def __getitem__(self, generation: int) -> bytes:
        """Return the key of `generation`."""
        return self._current()[0][generation]

    def __iter__(self) -> Iterator[int]:
        """Iterate over the generations."""
        return iter(self._current()[0])

    def __len__(self) -> int:
        """Return the number of generations."""
        return len(self._current()[0])

    @property
    def active_key(self) -> bytes:
        """Return the key of the active generation."""
        keys, active = self._current()
        return keys[active]

    def subset(self, generations: set[int] | frozenset[int]) -> dict[int, bytes]:
        """Return only these generations (those a device package needs)."""
        return {g: k for g, k in self._current()[0].items() if g in generations}

    def rotate(self) -> int:
        """Make a new active generation and save the file; return its number.

        Raises:
            KeyringError: `keyring_full` after generation 255; `keyring_corrupt` when the
                keys are not backed by a file.

        """
        if self.path is None:
            raise KeyringError("ticket code keys held in memory cannot rotate")
        keys = dict(self._current()[0])
        generation = max(keys) + 1
        if generation > _MAX_GENERATION:
            raise KeyringError("ticket code keys: 256 generations used", code="keyring_full")
        keys[generation] = secrets.token_bytes(_KEY_BYTES)
        _save(self.path, keys, generation)
        self._loaded = _read(self.path)
        return generation

    @staticmethod
    def to_json(keys: Mapping[int, bytes]) -> dict[str, str]:
        """Return `{generation: base64url key}` (as a device package carries them)."""
        return {str(g): base64.urlsafe_b64encode(k).decode() for g, k in sorted(keys.items())}

    @staticmethod
    def from_json(data: object) -> dict[int, bytes]:
        """Read `{generation: base64url key}`.

        Raises:
            KeyringError: `keyring_corrupt`, naming the generation.

        """
        if not isinstance(data, Mapping):
            raise KeyringError("ticket code keys are not an object")
        keys = {}
        for name, value in data.items():
            try:
                generation, key = int(name), base64.urlsafe_b64decode(value)
            except (TypeError, ValueError):
                raise KeyringError(f"ticket code key {name!r} is unreadable") from None
            if not 0 <= generation <= _MAX_GENERATION or len(key) < _KEY_BYTES:
                raise KeyringError(f"ticket code key {name!r} is out of range or short")
            keys[generation] = key
        return keys


def _save(path: Path, keys: Mapping[int, bytes], active: int) -> None:
    data = json.dumps({"active": active, "keys": TicketCodeKeys.to_json(keys)}).encode()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    temporary.replace(path)


def open_ticket_code_keys(folder: Path) -> TicketCodeKeys:
    """Open the ticket code keys of a key folder, creating generation 0 when there are none.

    Args:
        folder: the node's key folder (`Settings().key_store()`).

    Raises:
        KeyringError: `keyring_corrupt` for an unreadable file; `keyring_permissions` when
            group or others can read it.

    """
    path = folder / TICKET_CODE_KEYS_FILE
    if not path.exists():
        _save(path, {0: secrets.token_bytes(_KEY_BYTES)}, 0)
    stamp, keys, active = _read(path)
    return TicketCodeKeys(keys, active, path, stamp)


def _read(path: Path) -> tuple[FileStamp, dict[int, bytes], int]:
    """Read the keys file: its stamp, the keys by generation, the active generation.

    Raises:
        KeyringError: `keyring_permissions` when group or others can read it;
            `keyring_corrupt` when it is unreadable or its active generation has no key.
    """
    try:
        if path.stat().st_mode & 0o077:
            raise KeyringError(
                f"{path} is readable by others: chmod 600 it", code="keyring_permissions"
            )
        data, stamp = read_stamped(path)
        manifest = json.loads(data)
        keys, active = TicketCodeKeys.from_json(manifest["keys"]), int(manifest["active"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise KeyringError(f"{path} is unreadable: {error}") from None
    if active not in keys:
        raise KeyringError(f"{path}: active generation {active} has no key")
    return stamp, keys, active
