"""`podium replay paris2024`: the Games again, through results capture, in Games time.

The demo and the load test of the live feed. A fresh start reads the Paris 2024 files
(the rows the import wrote), rewinds the node's results and medals in one transaction,
then plays each unit's start list, live, intermediate, unofficial and official results
through `capture` on a virtual clock (`podium.diffusion.replay` has the script). With
`--serve` (the default) the pages, the API and the SSE stream show it live.

Persistence: the script is never stored. It is rebuilt from the files, deterministically;
`<data dir>/replay/paris2024.json` keeps the slice, the source folder and a digest of the
steps, and the `replay:paris2024` feed cursor the steps committed, so `--resume` after a
crash (even SIGKILL) continues exactly after the last committed step, with the same steps.

A fresh start refuses when the node's feed log is not empty, unless `--yes`: the replay
sends every unit's results again, as new Versions of documents consumers already hold.

Exit codes: 0 done, 1 refused (the reason and its code are printed), 2 the node cannot be
opened, 130 interrupted (`--resume` continues).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select

from podium.cli.common import console, open_node, open_node_spine, require_games_data
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.diffusion.consumers import list_status
from podium.diffusion.log import FeedEvent, last_seq
from podium.diffusion.models import FeedOutbox
from podium.diffusion.node import DiffusionNode
from podium.diffusion.replay import (
    ReplayScript,
    ScriptRows,
    ScriptSlice,
    build_script,
    replay_position,
    rewind,
)
from podium.diffusion.replay_steps import StepOutcome, VirtualClock, run_steps
from podium.games import GAMES_TIME_ZONE, Unit
from podium.paris2024 import DEFAULT_SOURCE, read_replay_source
from podium.privacy.spine import Spine

__all__ = ["replay_app"]

replay_app = typer.Typer(help="Replay past Games through results capture and the live feed.")

_DRAIN_S = 300.0  # at the end, for the outbox to empty (the 0.25 s windows, a backlog)
_DELIVERY_S = 60.0  # then for the push consumers to take the last messages


@dataclass
class _Plan:
    """What `--resume` needs: the source folder, the slice, the steps' digest."""

    source: str
    first_day: str | None
    last_day: str | None
    disciplines: list[str]
    steps: int = 0
    digest: str = ""
    rewound: bool = False

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        partial.replace(path)  # atomic: a crash leaves the old plan or the new one


@dataclass
class _Tally:
    """What this run did, fed from the step thread and the feed engine's listener."""

    ran: int = 0
    position: int = 0
    refused: list[StepOutcome] = field(default_factory=list)
    messages: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def on_messages(self, events: Sequence[FeedEvent]) -> None:
        with self.lock:
            self.messages.update(e.document_type for e in events)

    def total(self) -> int:
        with self.lock:
            return sum(self.messages.values())

    def on_step(self, outcome: StepOutcome) -> None:
        self.ran += 1
        self.position = outcome.index + 1
        if outcome.refused or outcome.medals_refused:
            self.refused.append(outcome)


@dataclass
class _Run:
    """One replay run: the node, its script, the position it starts from, how to run."""

    settings: Settings
    planes: Planes
    script: ReplayScript
    start: int
    speed: float | None
    spine: Spine | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    tally: _Tally = field(default_factory=_Tally)


def _refuse(message: str, code: str) -> typer.Exit:
    console.print(escape(f"replay refused: [{code}] {message}"), soft_wrap=True)
    return typer.Exit(code=1)


def _speed(text: str) -> float | None:
    value = text.strip().lower()
    if value in {"max", "0"}:
        return None
    if value.replace(".", "", 1).isdigit() and float(value) > 0:
        return float(value)
    msg = f"--speed {text!r}: a number of Games seconds per second (600), or max"
    raise _refuse(msg, "bad_speed")


def _day(text: str | None, option: str) -> str | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise _refuse(f"{option} {text!r}: a date such as 2024-07-28", "bad_date") from None


def _script(plan: _Plan) -> ReplayScript:
    with console.status(f"reading the Paris 2024 files in {plan.source}"):
        rows = read_replay_source(Path(plan.source))
    days = [date.fromisoformat(d) if d else None for d in (plan.first_day, plan.last_day)]
    where = ScriptSlice(days[0], days[1], frozenset(plan.disciplines))
    script = build_script(ScriptRows(rows.units, rows.results, rows.medals, rows.events), where)
    if not script.steps:
        raise _refuse("no unit of the Games is in this slice", "empty_slice")
    return script


def _fresh(run_plan: _Plan, planes: Planes, path: Path, *, yes: bool) -> ReplayScript:
    """Build the script, then rewind the node (one transaction) and record the plan."""
    script = _script(run_plan)
    with planes.games_session() as session:
        known = set(session.scalars(select(Unit.rsc)))
        logged = last_seq(session)
    missing = [rsc for rsc in script.units if rsc not in known]
    if missing:
        msg = f"{len(missing)} units of the files are not on this node ({missing[0]}, ...)"
        raise _refuse(f"{msg}: import the same folder first", "units_not_imported")
    if logged and not yes:
        msg = f"the feed log holds {logged} messages; a replay sends results and medals again"
        raise _refuse(f"{msg} as new Versions: pass --yes, or --resume", "feed_not_empty")
    run_plan.steps, run_plan.digest = len(script.steps), script.digest()
    run_plan.save(path)  # before the rewind: a crash in between is refused by --resume
    with planes.games_session() as session:
        done = rewind(session, script)
    run_plan.rewound = True
    run_plan.save(path)
    console.print(
        f"rewound {done.units} units: {done.results} result lines and {done.medals} medals"
        " deleted; the feed log is kept (new messages continue its Versions)"
    )
    return script


def _resumed(given: _Plan, planes: Planes, path: Path) -> ReplayScript:
    """Rebuild the stored replay's script and check it is the one the cursor counts."""
    if not path.is_file():
        raise _refuse(f"nothing to resume: no replay was started here ({path})", "no_replay")
    plan = _Plan(**json.loads(path.read_text(encoding="utf-8")))
    asked = (given.first_day, given.last_day, sorted(given.disciplines))
    if any(asked) and asked != (plan.first_day, plan.last_day, sorted(plan.disciplines)):
        msg = "--resume continues the stored replay; leave out --from, --until, --discipline"
        raise _refuse(msg, "resume_slice_differs")
    if not plan.rewound:
        msg = "the last replay stopped before its rewind was recorded: start it again"
        raise _refuse(f"{msg} without --resume", "replay_not_rewound")
    script = _script(plan)
    with planes.games_session() as session:
        position = replay_position(session)
    if script.digest() != plan.digest or position is None or position > len(script.steps):
        msg = "the files or the node changed since the replay started: start it again"
        raise _refuse(f"{msg} without --resume", "replay_changed")
    console.print(f"resuming after step {position} of {len(script.steps)}")
    return script


def _queued(planes: Planes) -> int:
    with planes.games_session() as session:
        return session.scalar(select(func.count()).select_from(FeedOutbox)) or 0


def _undelivered(planes: Planes) -> int:
    """Return how many enabled push consumers still have messages or re-sends to take."""
    with planes.games_session() as session:
        return sum(1 for q in list_status(session) if q.enabled and (q.pending or q.resends))


async def _wait(check: Callable[[], int], seconds: float, poke: Callable[[], None]) -> int:
    """Poll `check` until it is 0 or `seconds` pass; return its last value."""
    deadline = time.monotonic() + seconds
    while (left := await asyncio.to_thread(check)) and time.monotonic() < deadline:
        poke()
        await asyncio.sleep(0.1)
    return left


async def _drain(run: _Run, node: DiffusionNode) -> None:
    """Wait for the outbox to empty, then for the delivery services to deliver it."""
    left = await _wait(lambda: _queued(run.planes), _DRAIN_S, node.captured)
    if left:
        console.print(f"warning: {left} documents still queued after {_DRAIN_S:g} s")
    if not node.services:
        console.print("no delivery service runs in this node: live subscribers had it all")
        return
    behind = await _wait(lambda: _undelivered(run.planes), _DELIVERY_S, lambda: None)
    if behind:
        console.print(f"warning: {behind} push consumers still behind after {_DELIVERY_S:g} s")


async def _steps(run: _Run, node: DiffusionNode, clock: VirtualClock, stop: threading.Event) -> int:
    """Run the steps in a worker thread, with a progress bar; return the position."""
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[games]}  {task.fields[messages]} messages"),
        TimeElapsedColumn(),
    )
    total, tally = len(run.script.steps), run.tally
    with Progress(*columns, console=console) as progress:
        bar = progress.add_task("replay", total=total, completed=run.start, games="", messages=0)

        def after(outcome: StepOutcome) -> None:
            tally.on_step(outcome)
            node.captured()
            games = f"{outcome.step.at.astimezone(GAMES_TIME_ZONE):%a %d %b %H:%M} Paris"
            progress.update(bar, completed=tally.position, games=games, messages=tally.total())

        try:
            return await asyncio.to_thread(run_steps, run.planes, run.script, clock, stop, after)
        except asyncio.CancelledError:
            stop.set()  # the thread ends after its current step; the cursor counts it
            raise


async def _serving(run: _Run, node: DiffusionNode, stop: threading.Event) -> asyncio.Task[None]:
    """Start uvicorn with the app around `node` (it starts the node); return its task."""
    import uvicorn  # noqa: PLC0415 - keeps the command's start-up light

    from podium.api import create_app  # noqa: PLC0415

    app = create_app(run.settings, run.planes, run.spine, diffusion=node)
    config = uvicorn.Config(
        app, host=run.host, port=run.port, log_level="warning", timeout_graceful_shutdown=3
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    task.add_done_callback(lambda _: stop.set())  # the server stopped: stop the replay too
    while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn has no event
        await asyncio.sleep(0.05)
    if task.done():
        raise _refuse(f"cannot serve on {run.host}:{run.port}", "cannot_serve")
    console.print(f"serving the replay at http://{run.host}:{run.port}/ (live pages, SSE)")
    return task


async def _play(run: _Run) -> None:
    """Run the node (with the web app or alone), the steps, the drain and the summary."""
    steps = run.script.steps
    clock = VirtualClock(steps[min(run.start, len(steps) - 1)].at, run.speed)
    node = DiffusionNode(run.planes, run.settings)
    if node.engine is not None:  # the node's own engine, its headers dated in Games time
        node.engine.context = replace(node.engine.context, clock=clock.now)
        node.engine.listeners.append(run.tally.on_messages)
    stop = threading.Event()
    server = await _serving(run, node, stop) if run.spine is not None else None
    if server is None:
        await node.start()
    started = time.monotonic()
    try:
        position = await _steps(run, node, clock, stop)
        if position == len(steps):
            await _drain(run, node)
    finally:
        if server is None:
            await node.stop()
    _summary(run, time.monotonic() - started)
    if server is not None and position == len(steps):
        console.print("replay done; still serving: Ctrl-C to stop")
        await server


def _summary(run: _Run, wall_s: float) -> None:
    """Print what this run did, and save it with the unawarded medals as a JSON report."""
    tally, script = run.tally, run.script
    table = Table("DocumentType", "messages", title=f"Replay: {tally.ran} steps, {wall_s:.1f} s")
    for kind, count in [*sorted(tally.messages.items()), ("total", tally.total())]:
        table.add_row(kind, str(count))
    console.print(table)
    console.print(f"steps: {tally.position} of {len(script.steps)} committed ({tally.ran} now)")
    for code, count in Counter(o.refused or o.medals_refused for o in tally.refused).items():
        console.print(escape(f"  refused by capture: [{code}] {count} steps"))
    reasons = Counter(m.reason for m in script.unawarded)
    if reasons:
        listed = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items()))
        console.print(f"{len(script.unawarded)} medals not awarded ({listed}): no result line")
    refused = [(o.index, o.step.unit_rsc, o.step.kind, o.reason) for o in tally.refused]
    report: dict[str, object] = {"steps": len(script.steps), "position": tally.position}
    report |= {"ran": tally.ran, "messages": dict(tally.messages), "refused": refused}
    report["unawarded"] = [asdict(m) for m in script.unawarded]
    path = run.settings.data_dir / "reports" / "replay-paris2024-latest.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    console.print(f"Every refusal and unawarded medal, with its unit: {path}")


@replay_app.command("paris2024")
def replay_paris2024(  # noqa: PLR0913 - one option per way to run the replay
    ctx: typer.Context,
    source: Annotated[
        Path | None, typer.Argument(help="Folder of the Paris 2024 files the node imported.")
    ] = None,
    *,
    speed: Annotated[
        str, typer.Option(help="Games seconds per second (600: a Games day in 2.4 min), or max.")
    ] = "600",
    first_day: Annotated[
        str | None, typer.Option("--from", help="First competition day, 2024-07-27.")
    ] = None,
    last_day: Annotated[
        str | None, typer.Option("--until", help="Last competition day, inclusive.")
    ] = None,
    discipline: Annotated[
        list[str] | None, typer.Option(help="Only this discipline (ATH); repeat for more.")
    ] = None,
    resume: Annotated[
        bool, typer.Option(help="Continue the last replay after its last committed step.")
    ] = False,
    yes: Annotated[
        bool, typer.Option(help="Replay although the node's feed log holds messages.")
    ] = False,
    serve: Annotated[
        bool, typer.Option(help="Serve the pages, API and SSE stream while replaying.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Replay the Paris 2024 Games through results capture, in Games time.

    Rewinds the node's results and medals, then sends each unit's start list, live,
    intermediate, unofficial and official results (with the real medals) through capture
    and the live feed. `--resume` continues after a crash or Ctrl-C.
    """
    settings: Settings = ctx.obj
    if settings.feed_role != "primary":
        raise _refuse("this node's feed role is 'edge': replay on the primary", "edge_node")
    pace = _speed(speed)
    plan = _Plan(
        source=str((source or DEFAULT_SOURCE).resolve()),
        first_day=_day(first_day, "--from"),
        last_day=_day(last_day, "--until"),
        disciplines=sorted({d.upper() for d in discipline or ()}),
    )
    planes, spine = open_node_spine(settings) if serve else (open_node(settings), None)
    path = settings.data_dir / "replay" / "paris2024.json"
    run: _Run | None = None
    try:
        require_games_data(planes, settings)
        script = _resumed(plan, planes, path) if resume else _fresh(plan, planes, path, yes=yes)
        with planes.games_session() as session:
            start = replay_position(session) or 0
        run = _Run(settings, planes, script, start, pace, spine, host, port, _Tally(position=start))
        asyncio.run(_play(run))
    except KeyboardInterrupt:
        _interrupted(run)
    finally:
        planes.dispose()
        if spine is not None:
            spine.close()


def _interrupted(run: _Run | None) -> None:
    """Say where an interrupted replay stands; exit 130 unless it had finished."""
    if run is None:
        raise typer.Exit(code=130)
    with run.planes.games_session() as session:
        position = replay_position(session) or 0
    if position < len(run.script.steps):
        where = f"interrupted after step {position} of {len(run.script.steps)}"
        console.print(f"{where}: `podium replay paris2024 --resume` continues from there")
        raise typer.Exit(code=130)
    console.print("stopped")
