"""Read the bundled Paris 2024 CSV files from data/paris2024 at the repository root."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "paris2024"


def read_csv(relative: str) -> list[dict[str, str]]:
    with (DATA / relative).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
