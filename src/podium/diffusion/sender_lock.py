"""One sender per feed: a lock that only one process holds at a time.

HTTP push must have a single sender per feed, or every consumer would get each message
twice (two `podium serve` processes, or `podium serve` beside `podium replay`). The lock
is the database's own where it can be: a PostgreSQL session-level advisory lock held on
a dedicated connection; for SQLite (one machine), an exclusive `flock` on a file next to
the databases. A process that does not get it waits and takes over when the holder stops.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import zlib
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, text

from podium.core.db import Planes
from podium.core.settings import Settings

__all__ = ["SenderLock"]


class SenderLock:
    """A non-blocking, process-wide lock named after a feed sender (`push`, `nats`).

    Args:
        planes: the node's planes (PostgreSQL: the games plane holds the lock).
        settings: the node's settings (SQLite: the lock file is in `data_dir`).
        name: what the lock guards, for example `push`.

    """

    def __init__(self, planes: Planes, settings: Settings, name: str) -> None:
        """Prepare the lock; nothing is taken until `acquire`."""
        self.planes = planes
        self.name = name
        self.path = settings.data_dir / f"{name}.lock"
        self._connection: Connection | None = None
        self._file: IO[bytes] | None = None
        self._key = zlib.crc32(f"podium-sender:{name}".encode())

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return self._connection is not None or self._file is not None

    def acquire(self) -> bool:
        """Take the lock if it is free; return whether this process now holds it."""
        if self.held:
            return True
        if self.planes.games.dialect.name == "postgresql":
            connection = self.planes.games.connect()
            taken = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key}
                ).scalar()
            )
            connection.commit()
            if taken:
                self._connection = connection
            else:
                connection.close()
            return taken
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        handle = Path(self.path).open("ab")  # noqa: SIM115 - held open while the lock is held
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._file = handle
        return True

    def release(self) -> None:
        """Give the lock back (a process that dies releases it too)."""
        if self._connection is not None:
            with contextlib.suppress(Exception):  # a lost connection has released it already
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                self._connection.commit()
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None
        if self._file is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
                self._file.close()
            self._file = None
