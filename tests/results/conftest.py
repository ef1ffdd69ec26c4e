import pytest
from tests.results.paris2024_data import DATA, read_csv


@pytest.fixture(scope="session")
def result_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((DATA / "results").glob("*.csv")):
        rows.extend(read_csv(f"results/{path.name}"))
    return rows
