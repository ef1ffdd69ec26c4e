"""Files a running node reads once and follows: the stamp that tells their versions apart.

Key files (the gates' issuer keyrings and ticket code keys, the privacy master keyring and
audit signing key) are replaced atomically by operator commands while a server runs. A
holder of such a file keeps the `FileStamp` of the version it read and compares it with the
file's on every use (one `stat`), reading the file again when they differ, so a key rotated
on the host counts at once without a restart.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["FileStamp", "read_stamped"]


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What tells one version of a key file from another, without reading it.

    An atomic replace (temporary file, fsync, rename) gives the file a new inode and new
    times, so two versions never share a stamp in practice; reading again on any
    difference is safe.

    Attributes:
        inode: `st_ino`.
        size: `st_size` in bytes.
        modified_ns: `st_mtime_ns`.
        changed_ns: `st_ctime_ns`.

    """

    inode: int
    size: int
    modified_ns: int
    changed_ns: int

    @classmethod
    def of(cls, result: os.stat_result) -> FileStamp:
        """Return the stamp of a `stat` or `fstat` result."""
        return cls(result.st_ino, result.st_size, result.st_mtime_ns, result.st_ctime_ns)

    @classmethod
    def at(cls, path: Path) -> FileStamp | None:
        """Return the stamp of the file at `path`, or None when it cannot be read."""
        try:
            return cls.of(path.stat())
        except OSError:
            return None


def read_stamped(path: Path) -> tuple[bytes, FileStamp]:
    """Return a file's bytes and the stamp of exactly the version read.

    Args:
        path: the file.

    Raises:
        OSError: the file cannot be opened or read.
    """
    with path.open("rb") as handle:
        stamp = FileStamp.of(os.fstat(handle.fileno()))
        return handle.read(), stamp
