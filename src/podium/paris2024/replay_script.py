"""What `podium replay paris2024` plays: units, results and Olympic medals, from the files.

The replay rewinds the node's results and medals, so it cannot read them back from the
games plane once it has started: it reads the same files `podium import paris2024` reads,
with the same readers and repairs, and gets the rows the import wrote. Reading again is
deterministic, so a `--resume` after a crash rebuilds the very same script. People, NOCs
and the sovereign plane are not read (the replay changes neither).

Rows are returned as the importer's table rows (`unit`, `unit_result`, `medal`), plain
dictionaries: this package may not import `podium.diffusion`, which turns them into steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from podium.paris2024.csvsource import Quarantine
from podium.paris2024.medals import link_medal_units, load_medal_rows
from podium.paris2024.people import PeopleData, load_nocs
from podium.paris2024.results import load_results
from podium.paris2024.schedule import load_master_data

__all__ = ["ReplaySource", "read_replay_source"]


@dataclass(frozen=True, slots=True)
class ReplaySource:
    """The rows a replay plays, exactly as the import writes them.

    Attributes:
        units: `unit` rows (`rsc`, `discipline_code`, `event_rsc`, `day`, `starts_at`,
            `ends_at` aware, `status`, `medal`, ...).
        results: `unit_result` rows, in each unit's source order (`sort_order`).
        medals: Olympic (`OG2024`) `medal` rows, with `unit_rsc` where the source's URL
            names a known unit.
        events: event RSC by the medal files' `Discipline/Event` key.
        quarantined: rows left out as bad (the import leaves them out too).

    """

    units: list[dict[str, Any]]
    results: list[dict[str, Any]]
    medals: list[dict[str, Any]]
    events: dict[str, str]
    quarantined: int


def read_replay_source(root: Path) -> ReplaySource:
    """Read the units, results and Olympic medals of the Paris 2024 files (about 1.5 s).

    Args:
        root: the Paris 2024 data folder (`podium.paris2024.DEFAULT_SOURCE`, or the folder
            the node was imported from).

    Returns:
        The rows, with bad rows quarantined as the non-strict import does.

    Raises:
        SourceFileError: a file or folder is missing, or a file lacks a column.

    """
    quarantine = Quarantine(strict=False)
    people = PeopleData()
    load_nocs(root, people, quarantine)
    results = load_results(root, quarantine, set(people.nocs))
    master = load_master_data(root, quarantine, results.units)
    medals = load_medal_rows(root, quarantine, people.nocs)
    link_medal_units(medals, master.events, master.disciplines, master.units)
    names = {d["code"]: d["name"] for d in master.disciplines.values()}
    events = {
        f"{names.get(e['discipline_code'], e['discipline_code'])}/{e['name']}": rsc
        for rsc, e in master.events.items()
    }
    rows = sorted(results.results.values(), key=lambda r: (r["unit_rsc"], r["sort_order"]))
    return ReplaySource(
        units=list(master.units.values()),
        results=rows,
        medals=[m for m in medals if m["competition"] == "OG2024"],
        events=events,
        quarantined=len(quarantine.rows),
    )
