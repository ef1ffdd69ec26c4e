import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "paris2024"


def read_csv(relative: str) -> list[dict[str, str]]:
    with (DATA / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def result_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((DATA / "results").glob("*.csv")):
        rows.extend(read_csv(f"results/{path.name}"))
    return rows
