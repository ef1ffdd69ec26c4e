"""Unit results from `results/*.csv` (45 files, 22 different headers, read by name).

Quirks met: ranks written as floats (`1.0`), empty rank and result on IRM rows, head-to-
head files with `result_WLT` and no rank, and the malformed decathlon stage code
`ATH_ATHMDECATH------------------------` (38 characters), repaired to the event-level
RSC `ATHMDECATH------------------------` with a notice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from podium.odf import InvalidRscError, Rsc
from podium.paris2024.csvsource import BadRowError, CsvSource, Quarantine, Row, read_rows
from podium.paris2024.schedule import ResultUnit

__all__ = ["ResultsData", "load_results"]

_COLUMNS = (
    "date",
    "stage_code",
    "event_name",
    "stage",
    "discipline_code",
    "participant_code",
    "participant_name",
    "participant_type",
    "participant_country_code",
    "result",
)
"""Columns every result file has; each also has `rank`, `result_WLT` or both."""

_UNRANKED = frozenset({"Rhythmic Gymnastics"})
"""Result files published with scores only: neither `rank` nor `result_WLT`."""


@dataclass
class ResultsData:
    """Result rows keyed by (unit RSC, competitor code), and the units they belong to."""

    results: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    units: dict[str, ResultUnit] = field(default_factory=dict)
    per_unit: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))


def _stage_code(row: Row, quarantine: Quarantine) -> Rsc:
    raw = row.required("stage_code")
    if raw.startswith(row.required("discipline_code") + "_"):
        repaired = raw.split("_", 1)[1][:34].ljust(34, "-")
        quarantine.notice(
            row.fault("stage_code", f"malformed {raw!r} repaired to {repaired}", "rsc_repaired")
        )
        raw = repaired
    try:
        return Rsc(raw)
    except InvalidRscError as error:
        raise row.fault("stage_code", str(error), error.code) from None


def _bib(row: Row) -> str | None:
    text = row.text("bib")
    if not text or not text.replace(".", "").isdigit():
        return text or None
    return str(row.integer("bib"))  # written as a float in the source: 1328.0


def _start_order(row: Row) -> str | None:
    text = row.text("start_order")
    if not text or not text.replace(".", "").isdigit():
        return text or None  # corners and positions: RED, BLUE, R2
    return str(row.integer("start_order"))


def _result_row(row: Row, rsc: Rsc, sort_order: int) -> dict[str, Any]:
    return {
        "unit_rsc": rsc,
        "competitor_code": row.required("participant_code"),
        "competitor_type": row.required("participant_type"),
        "competitor_name": row.required("participant_name"),
        "noc": row.required("participant_country_code"),
        "rank": row.integer("rank"),
        "result": row.text("result") or None,
        "result_type": row.text("result_type") or None,
        "irm": row.text("result_IRM") or None,
        "wlt": row.text("result_WLT") or None,
        "diff": row.text("result_diff") or None,
        "qualification_mark": row.text("qualification_mark") or None,
        "start_order": _start_order(row),
        "bib": _bib(row),
        "records": None,
        "sort_order": sort_order,
    }


def load_results(root: Path, quarantine: Quarantine, nocs: set[str]) -> ResultsData:
    """Read every result file of `root/results/`.

    Args:
        root: the Paris 2024 data folder.
        quarantine: collects bad rows (or raises in strict mode).
        nocs: the known NOC codes; a result of an unknown NOC is a bad row.

    Raises:
        BadRowError: in strict mode, on the first bad row.

    """
    data = ResultsData()
    for path in sorted((root / "results").glob("*.csv")):
        one_of = () if path.stem in _UNRANKED else (("rank", "result_WLT"),)
        source = CsvSource(root, f"results/{path.name}", _COLUMNS, one_of)
        for row in read_rows(source, quarantine):
            try:
                _one(row, data, quarantine, nocs)
            except BadRowError as fault:
                quarantine.reject(fault)
    return data


def _one(row: Row, data: ResultsData, quarantine: Quarantine, nocs: set[str]) -> None:
    rsc = _stage_code(row, quarantine)
    result = _result_row(row, rsc, 0)
    if result["noc"] not in nocs:
        raise row.fault("participant_country_code", f"unknown NOC {result['noc']!r}", "unknown_noc")
    key = (rsc, result["competitor_code"])
    if key in data.results:
        raise row.fault("participant_code", f"second result of {key[1]} in {rsc}", "duplicate")
    # Position within the unit, so that one bad row elsewhere does not renumber others.
    result["sort_order"] = data.per_unit[rsc]
    data.per_unit[rsc] += 1
    data.results[key] = result
    if rsc not in data.units:
        start = row.timestamp("date")
        if start is None:
            raise row.fault("date", "result without a date", "missing_value")
        data.units[rsc] = ResultUnit(
            rsc=rsc,
            name=row.text("event_stage") or row.required("event_name"),
            phase_name=row.text("stage") or row.required("event_name"),
            starts_at=start,
            venue_name=row.text("venue"),
        )
