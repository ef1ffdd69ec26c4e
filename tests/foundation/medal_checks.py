"""Medal-table checks shared by the SQLite and PostgreSQL tests."""

from __future__ import annotations

import csv

from sqlalchemy.orm import Session

from podium.paris2024 import DEFAULT_SOURCE
from podium.results import medal_table


def official_olympic_table() -> list[tuple[str, int, int, int, int, int]]:
    """The official table scraped from olympics.com: noc, rank, gold, silver, bronze, total."""
    with (DEFAULT_SOURCE / "olympics-in-numbers" / "medal_table.csv").open(encoding="utf-8") as f:
        return [
            (
                r["country_id"],
                int(r["rank"]),
                int(r["gold"]),
                int(r["silver"]),
                int(r["bronze"]),
                int(r["total"]),
            )
            for r in csv.DictReader(f)
        ]


def official_paralympic_table() -> list[tuple[str, int, int, int, int]]:
    """The Paralympic table of `paralympics/medals_total.csv`: noc, gold, silver, bronze, total."""
    with (DEFAULT_SOURCE / "paralympics" / "medals_total.csv").open(encoding="utf-8") as f:
        return [
            (
                r["country_code"],
                int(r["Gold Medal"]),
                int(r["Silver Medal"]),
                int(r["Bronze Medal"]),
                int(r["Total"]),
            )
            for r in csv.DictReader(f)
        ]


def assert_official_tables(session: Session) -> None:
    """Assert both medal tables built from the database equal the official ones."""
    olympic = [
        (s.noc, s.rank, s.gold, s.silver, s.bronze, s.total) for s in medal_table(session, "OG2024")
    ]
    assert sorted(olympic) == sorted(official_olympic_table())
    paralympic = [
        (s.noc, s.gold, s.silver, s.bronze, s.total) for s in medal_table(session, "PG2024")
    ]
    assert sorted(paralympic) == sorted(official_paralympic_table())
    assert [row[0] for row in olympic[:3]] == ["USA", "CHN", "JPN"]
