"""Benchmark of the whole Paris 2024 replay at maximum speed: wall time and messages.

Run: `uv run python benchmarks/bench_replay.py [--repeats N] [--quick]`. Each repeat
imports the bundled data into a temporary folder (`podium import paris2024`, timed: the
baseline), then runs `podium replay paris2024 --speed max --no-serve` on it as a
subprocess (timed) and counts the feed log's messages by DocumentType. `--quick` replays
one competition day (2024-07-27) instead of the whole Games. Medians are printed, with
the ratio replay / import.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import func, select

from _common import base_parser, median
from podium.core.db import open_planes
from podium.core.settings import Settings
from podium.diffusion.models import FeedMessage

PODIUM = str(Path(sys.executable).parent / "podium")


def _run(argv: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        msg = f"{' '.join(argv[:4])}... exited {done.returncode}"
        raise RuntimeError(msg)
    return elapsed


def _messages(node: Path) -> Counter[str]:
    planes = open_planes(Settings(data_dir=node))
    try:
        with planes.games_session() as session:
            query = select(FeedMessage.document_type, func.count()).group_by(
                FeedMessage.document_type
            )
            return Counter(dict(session.execute(query).all()))
    finally:
        planes.dispose()


def main() -> int:
    """Run the benchmark; print medians and the message counts; exit 0."""
    parser = base_parser(__doc__.splitlines()[0], repeats=3)
    args = parser.parse_args()
    repeats = 1 if args.quick else args.repeats
    slice_ = ["--from", "2024-07-27", "--until", "2024-07-27"] if args.quick else []
    imports, replays = [], []
    counts: Counter[str] = Counter()
    for repeat in range(repeats):
        with tempfile.TemporaryDirectory(prefix="podium-bench-replay-") as tmp:
            node = Path(tmp) / f"node-{repeat}"
            imports.append(_run([PODIUM, "--data-dir", str(node), "import", "paris2024"]))
            replays.append(
                _run(
                    [
                        PODIUM,
                        "--data-dir",
                        str(node),
                        "replay",
                        "paris2024",
                        "--speed",
                        "max",
                        "--no-serve",
                        *slice_,
                    ]
                )
            )
            counts = _messages(node)
    what = "one day (2024-07-27)" if args.quick else "the whole Games"
    print(f"replay of {what} at maximum speed (median of {repeats}):")
    print(f"  replay wall time:      {median(replays):8.1f} s")
    print(
        f"  baseline, import only: {median(imports):8.1f} s   replay/import = "
        f"{median(replays) / median(imports):.2f}"
    )
    print(f"  messages produced: {sum(counts.values()):,}")
    for kind, number in sorted(counts.items()):
        print(f"    {kind:<20} {number:8,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
