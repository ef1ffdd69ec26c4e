"""Running a replay: each step through capture, in Games time, with its position.

`commit_step` runs one step of a `podium.diffusion.replay` script in its own transaction:
the capture and the replay's position commit together, so after a crash (even SIGKILL)
`--resume` continues exactly after the last committed step. `run_steps` runs them in
order on a `VirtualClock`: Games time runs `speed` times faster than the wall clock, or
as fast as the database allows.

At maximum speed the feed merges a unit's quick succession of states into fewer messages
(burst merging, ODF Foundation Principles §4.4); a unit's start list is the exception:
its next step waits until the feed has sent it, so every start list is published.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from podium.core.db import Planes
from podium.core.errors import PodiumError
from podium.diffusion.capture import capture
from podium.diffusion.models import FeedOutbox
from podium.diffusion.replay import ReplayScript, ReplayStep, record_position, replay_position

__all__ = ["StepOutcome", "VirtualClock", "commit_step", "run_step", "run_steps"]

_SENT_WAIT_S = 5.0
"""At most this long for the feed to send a start list before its unit's next step."""


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one step did.

    Args:
        index: the step's 0-based index in the script.
        step: the step.
        documents: the documents queued for the feed (`DT_RESULT <RSC>`, ...).
        refused: the error code when capture refused the step (nothing stored), else None.
        medals_refused: the error code when capture refused the step's medals and the
            step was stored without them, else None.
        reason: capture's message for either refusal.

    """

    index: int
    step: ReplayStep
    documents: tuple[str, ...] = ()
    refused: str | None = None
    medals_refused: str | None = None
    reason: str | None = None


def run_step(session: Session, script: ReplayScript, index: int) -> StepOutcome:
    """Capture step `index` and record `index + 1` steps done, in the caller's transaction.

    A step capture refuses is recorded as refused (it stored nothing) and the replay
    moves on; when only its medals are refused (`medallist_not_in_unit`), the step is
    stored without them.

    Args:
        session: a games-plane session; commit it to keep the step.
        script: the replay's script.
        index: the step, 0-based.

    Returns:
        What the step did.

    Raises:
        IndexError: when `index` is not a step of the script.

    """
    step = script.steps[index]
    outcome = StepOutcome(index, step)
    try:
        done = capture(session, step.unit_rsc, step.update, step.at)
    except PodiumError as error:
        outcome = replace(outcome, refused=error.code, reason=str(error))
        if error.code == "medallist_not_in_unit" and step.update.medals:
            bare = step.update.model_copy(update={"medals": []})
            try:
                done = capture(session, step.unit_rsc, bare, step.at)
            except PodiumError as again:
                outcome = replace(outcome, refused=again.code, reason=str(again))
            else:
                outcome = replace(
                    outcome,
                    documents=tuple(done.documents),
                    refused=None,
                    medals_refused=error.code,
                )
    else:
        outcome = replace(outcome, documents=tuple(done.documents))
    record_position(session, index + 1)
    return outcome


def commit_step(planes: Planes, script: ReplayScript, index: int, attempts: int = 5) -> StepOutcome:
    """Run step `index` in its own transaction (`run_step`), again when the database was busy.

    Three failures are transient, and the transaction rolled back, so trying again is
    safe: SQLite's busy single writer, a PostgreSQL deadlock with the feed engine's pass,
    and an outbox row the engine deleted (sent) between capture reading and updating it
    (`StaleDataError`).

    Args:
        planes: the node's planes.
        script: the replay's script.
        index: the step, 0-based.
        attempts: how many times to try, 50 ms, 100 ms, 200 ms... apart.

    Raises:
        OperationalError: the database refused every attempt (or `StaleDataError`).

    """
    for attempt in range(attempts):
        try:
            with planes.games_session() as session:
                return run_step(session, script, index)
        except (OperationalError, StaleDataError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError  # unreachable: the last attempt returns or raises


class VirtualClock:
    """Games time during a replay: `origin` plus the wall time elapsed times `speed`.

    At maximum speed (`speed` None) nothing waits: the clock shows the newest step's time.

    Args:
        origin: the Games time the replay starts at (aware).
        speed: Games seconds per wall second (600: ten Games minutes a second), or None.
        wall: a monotonic wall clock in seconds (inject in tests).

    """

    def __init__(
        self, origin: datetime, speed: float | None, wall: Callable[[], float] = time.monotonic
    ) -> None:
        """Start the clock at `origin` now."""
        self.origin = origin.astimezone(UTC)
        self.speed = speed
        self._wall = wall
        self._started = wall()
        self._reached = self.origin

    def now(self) -> datetime:
        """Return the Games time now (aware, UTC): the `Clock` of the feed's headers."""
        if self.speed is None:
            return self._reached
        return self.origin + timedelta(seconds=(self._wall() - self._started) * self.speed)

    def reach(self, moment: datetime) -> float:
        """Return the wall seconds left before Games time `moment` (0 once it has come).

        At maximum speed the clock jumps to `moment` (never back) and nothing waits.
        """
        if self.speed is None:
            self._reached = max(self._reached, moment)
            return 0.0
        return max(0.0, (moment - self.now()).total_seconds() / self.speed)


def _queued(planes: Planes, unit_rsc: str) -> bool:
    with planes.games_session() as session:
        return session.get(FeedOutbox, f"DT_RESULT|{unit_rsc}") is not None


def _await_sent(planes: Planes, unit_rsc: str, stop: threading.Event) -> None:
    """Wait until the unit's DT_RESULT left the outbox (or `_SENT_WAIT_S` passed)."""
    deadline = time.monotonic() + _SENT_WAIT_S
    while _queued(planes, unit_rsc) and time.monotonic() < deadline:
        if stop.wait(0.01):
            return


def run_steps(
    planes: Planes,
    script: ReplayScript,
    clock: VirtualClock,
    stop: threading.Event,
    after_step: Callable[[StepOutcome], None],
) -> int:
    """Commit the steps after the position, each when its Games time comes; return the position.

    Args:
        planes: the node's planes (a feed engine runs on them: it sends the start lists).
        script: the replay's script.
        clock: the replay's clock.
        stop: set it to stop between two steps (or during a wait).
        after_step: called after each committed step, in this thread (wake the feed there).

    Raises:
        OperationalError: the database kept refusing a step (`commit_step`).

    """
    with planes.games_session() as session:
        position = replay_position(session) or 0
    announced: set[str] = set()  # units whose start list may not be sent yet
    for index in range(position, len(script.steps)):
        step: ReplayStep = script.steps[index]
        while (wait := clock.reach(step.at)) > 0:
            if stop.wait(min(wait, 0.5)):
                return position
        if step.unit_rsc in announced:
            announced.discard(step.unit_rsc)
            _await_sent(planes, step.unit_rsc, stop)
        if stop.is_set():
            return position
        after_step(commit_step(planes, script, index))
        position = index + 1
        if step.kind == "start_list" and step.update.results is not None:
            announced.add(step.unit_rsc)
    return position
