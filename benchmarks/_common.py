"""Shared helpers of the benchmark scripts: statistics, throwaway databases, servers.

Nothing here is timed itself. Run as a script, this module serves the baseline app:
`python benchmarks/_common.py serve-baseline --port P` (see `baseline_app`).
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Self

__all__ = [
    "PG_ADMIN",
    "REPO",
    "Server",
    "base_parser",
    "baseline_app",
    "free_port",
    "median",
    "percentile",
    "pg_reachable",
    "process_memory",
    "throwaway_pg_databases",
]

REPO = Path(__file__).resolve().parents[1]
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
"""libpq DSN of the maintenance database used to create and drop throwaway databases."""
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def base_parser(description: str, repeats: int) -> argparse.ArgumentParser:
    """Return a parser with the options every benchmark accepts.

    Args:
        description: the script's one-line summary.
        repeats: the default number of repeats (`--quick` makes it 1).
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--repeats", type=int, default=repeats, help=f"repeats (default {repeats})")
    parser.add_argument(
        "--quick", action="store_true", help="one repeat, smaller loads: a smoke run"
    )
    return parser


def median(values: Sequence[float]) -> float:
    """Return the median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile of already sorted values (`fraction` in 0..1)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


# --- PostgreSQL -------------------------------------------------------------------


def pg_reachable() -> str | None:
    """Return None when PostgreSQL answers on 127.0.0.1:5432, else the reason it does not."""
    try:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001  (any failure means "measure SQLite only")
        return f"{type(error).__name__}: {error}".strip()
    return None


@contextmanager
def throwaway_pg_databases(*names: str) -> Iterator[list[str]]:
    """Create empty PostgreSQL databases, yield their SQLAlchemy URLs, then drop them.

    Args:
        names: database names; any leftover of the same name is dropped first.
    """
    import psycopg  # noqa: PLC0415

    def drop_all(conn: Any) -> None:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        drop_all(conn)
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield [PG_URL.format(name=name) for name in names]
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            drop_all(conn)


# --- processes and memory ---------------------------------------------------------


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        with suppress(OSError):
            todo += _children(current)
    return out


@dataclass(frozen=True)
class Memory:
    """Memory of the serving process, read from `/proc/<pid>/status`.

    Attributes:
        pid: the python process that serves (the deepest python in the launched tree).
        name: its `Name` in `/proc`.
        rss_mib: resident set size now (VmRSS), MiB.
        hwm_mib: peak resident set size so far (VmHWM), MiB.
        tree_rss_mib: VmRSS summed over the launched process and all its descendants, MiB.
    """

    pid: int
    name: str
    rss_mib: float
    hwm_mib: float
    tree_rss_mib: float


def process_memory(root_pid: int) -> Memory:
    """Find the python process serving under `root_pid` and read its memory.

    A launcher such as `uv run` forks the interpreter as a child, so the launched pid is
    not always the one holding the data; the deepest python process of the tree is.
    """
    tree = _descendants(root_pid)
    names = {pid: Path(f"/proc/{pid}/comm").read_text().strip() for pid in tree}
    pythons = [pid for pid in tree if names[pid].startswith(("python", "podium", "uvicorn"))]
    pid = pythons[-1] if pythons else root_pid
    mib = 1024.0
    return Memory(
        pid=pid,
        name=names.get(pid, "?"),
        rss_mib=_status_kib(pid, "VmRSS") / mib,
        hwm_mib=_status_kib(pid, "VmHWM") / mib,
        tree_rss_mib=sum(_status_kib(p, "VmRSS") for p in tree) / mib,
    )


class Server:
    """A server subprocess on 127.0.0.1, stopped (with its children) on exit.

    Args:
        name: label used in messages.
        argv: the command; it must listen on `port`.
        port: the port it listens on.
        log: where its stdout and stderr go (never a pipe: a full pipe would stall it).
        env: extra environment variables.
    """

    def __init__(
        self, name: str, argv: list[str], port: int, log: Path, env: dict[str, str] | None = None
    ) -> None:
        """Create the handle; `start` launches it."""
        self.name, self.argv, self.port, self.log = name, argv, port, log
        self.env = {**os.environ, **(env or {})}
        self.process: subprocess.Popen[bytes] | None = None
        self._log_handle: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        """Return `http://127.0.0.1:<port>`."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe: str, timeout: float = 90.0) -> float:
        """Launch the server and wait until `probe` answers with any HTTP status.

        Returns:
            Seconds from launch to the first answer.

        Raises:
            RuntimeError: the server exited or did not answer in time (log tail included).
        """
        import httpx  # noqa: PLC0415

        self._log_handle = self.log.open("wb")
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            env=self.env,
            cwd=REPO,
            start_new_session=True,
        )
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}"
                )
            with suppress(httpx.TransportError):
                httpx.get(self.base_url + probe, timeout=2.0)
                return time.perf_counter() - started
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 25) -> str:
        """Return the last lines of the server's log."""
        if self._log_handle is not None:
            self._log_handle.flush()
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join("    " + line for line in text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop the server's process group: SIGTERM, then SIGKILL after 10 s."""
        if self.process is not None and self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self._log_handle is not None:
            self._log_handle.close()
            self._log_handle = None

    def __enter__(self) -> Self:
        """Return self; the server is started by `start`."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Stop the server, whatever happened."""
        self.stop()


# --- the baseline app -------------------------------------------------------------

_CONSTANT = {"status": "ok", "games": "OG2024", "values": list(range(10))}


def baseline_app() -> Any:
    """Return a minimal FastAPI app whose `/api/ping` returns a constant JSON object.

    Served by uvicorn exactly as `podium serve` serves Podium, it is the floor under every
    Podium latency: HTTP parsing, routing and JSON encoding, no database, no templates.
    """
    from fastapi import FastAPI  # noqa: PLC0415

    app = FastAPI(title="baseline")

    @app.get("/api/ping")
    def ping() -> dict[str, Any]:
        return _CONSTANT

    return app


def _serve_baseline(argv: list[str]) -> None:
    import uvicorn  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["serve-baseline"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    # Same call and log level as `podium serve` (src/podium/cli/main.py).
    uvicorn.run(baseline_app(), host="127.0.0.1", port=args.port, log_level="info")


if __name__ == "__main__":
    _serve_baseline(sys.argv[1:])
