"""A replay killed with SIGKILL and resumed: no gap, no duplicate, every message pushed once.

`podium replay paris2024 --speed max --no-serve --discipline SHO` runs as a real process
with an HTTP push consumer registered (a loopback server in this test that answers 200).
It is killed mid-replay, restarted with `--resume`, and left to finish. The feed log must
have every sequence number once and each document's Versions 1, 2, 3... with none twice;
the consumer must have received every message of the log, in order, exactly once, except
possibly the one message in flight at the kill, sent again flagged
`X-Podium-Possible-Duplicate: true` (ODF Foundation Principles §8; `podium.diffusion.push`).
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
from collections import Counter, defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from podium.cli.main import app
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.diffusion.replay import ScriptSlice, replay_position
from podium.paris2024 import DEFAULT_SOURCE
from podium.paris2024.replay_script import read_replay_source
from tests.diffusion.test_replay import (
    PODIUM,
    cli_env,
    feed,
    node_env,
    script_of,
    wait_for_position,
)

DISCIPLINE = "SHO"


class Push(NamedTuple):
    """One POST as the consumer received it."""

    seq: int
    document_code: str
    document_type: str
    version: int
    possible_duplicate: bool


class Consumer:
    """An HTTP push consumer on 127.0.0.1 that records each POST and answers 200."""

    def __init__(self) -> None:
        self.received: list[Push] = []
        self._lock = threading.Lock()
        consumer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                push = Push(
                    int(self.headers["X-Podium-Sequence"]),
                    self.headers["X-ODF-DocumentCode"],
                    self.headers["X-ODF-DocumentType"],
                    int(self.headers["X-ODF-Version"]),
                    self.headers.get("X-Podium-Possible-Duplicate") == "true",
                )
                with consumer._lock:
                    consumer.received.append(push)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                del format, args

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/odf/push"
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()

    def pushes(self) -> list[Push]:
        with self._lock:
            return list(self.received)


@pytest.fixture
def consumer() -> Iterator[Consumer]:
    running = Consumer()
    yield running
    running.server.shutdown()
    running.server.server_close()


def podium(settings: Settings, *args: str) -> subprocess.Popen[str]:
    command = [PODIUM, "--data-dir", str(settings.data_dir), *args]
    return subprocess.Popen(command, env=node_env(settings), stderr=subprocess.PIPE, text=True)


def test_a_killed_replay_resumes_with_no_gap_no_duplicate_and_every_message_pushed_once(
    live_settings: Settings, consumer: Consumer
) -> None:
    script = script_of(
        read_replay_source(DEFAULT_SOURCE), ScriptSlice(disciplines=frozenset({DISCIPLINE}))
    )
    add = ["feed", "consumer", "add", "replay-test", "--endpoint", consumer.url]
    options = ["--api-key", "replay-test-key", "--start-after", "0"]
    registered = CliRunner().invoke(
        app,
        ["--data-dir", str(live_settings.data_dir), *add, *options],
        env=cli_env(live_settings),
    )
    assert registered.exit_code == 0, registered.output
    planes = open_planes(live_settings)
    args = ["replay", "paris2024", "--speed", "max", "--no-serve", "--discipline", DISCIPLINE]
    first = podium(live_settings, *args)
    try:
        wait_for_position(planes, len(script.steps) // 3, first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        assert consumer.pushes(), "the killed process pushed nothing: its push service ran?"
        with planes.games_session() as session:
            killed_at = replay_position(session) or 0
        assert killed_at < len(script.steps), "killed too late: the replay had finished"
        second = podium(live_settings, *args[:2], "--resume", *args[2:5])
        _, errors = second.communicate(timeout=900)
        assert second.returncode == 0, errors
        assert f"resuming after step {killed_at} of {len(script.steps)}" in errors
        with planes.games_session() as session:
            assert replay_position(session) == len(script.steps)
        events = feed(planes)
    finally:
        first.kill()
        planes.dispose()
    report = json.loads(
        (live_settings.data_dir / "reports" / "replay-paris2024-latest.json").read_text()
    )
    assert report["ran"] == len(script.steps) - killed_at  # not one step twice

    # The feed log: every sequence number once, each document's Versions 1..n, none twice.
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    versions: dict[tuple[str, str], list[int]] = defaultdict(list)
    for event in events:
        versions[event.document_code, event.document_type].append(event.version)
    for key, seen in versions.items():
        assert seen == list(range(1, len(seen) + 1)), key

    # The consumer: the whole log, in order, once; at most one message twice, flagged.
    pushes = consumer.pushes()
    by_seq = {e.seq: (e.document_code, e.document_type, e.version) for e in events}
    assert all(by_seq[p.seq] == (p.document_code, p.document_type, p.version) for p in pushes)
    twice = [seq for seq, n in Counter(p.seq for p in pushes).items() if n > 1]
    assert len(twice) <= 1, twice
    flagged = [p.seq for p in pushes if p.possible_duplicate]
    assert set(twice) <= set(flagged)
    assert len(flagged) <= 1, flagged
    assert sorted({p.seq for p in pushes}) == sorted(by_seq)
    firsts = list(dict.fromkeys(p.seq for p in pushes))
    assert firsts == sorted(firsts)
