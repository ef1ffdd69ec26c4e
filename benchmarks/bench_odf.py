# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Benchmark of the ODF builders (budget: >= 20,000 DT_RESULT messages per second, one core).

Run: `uv run python benchmarks/bench_odf.py [N]`. Builds N DT_RESULT messages of 8
competitors (1,000 distinct payloads, cycled, so escaping sees varied values) and prints the
median rate of 5 repeats, next to same-run baselines: lxml serialising an equivalent prebuilt
tree N times (`etree.tostring`), and lxml building the same tree with `SubElement` and
serialising it. Then the schema validation rate.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from datetime import time as clock_time

from lxml import etree

from podium.odf import (
    Athlete,
    Competitor,
    MessageHeader,
    RecordMark,
    ResultLine,
    Rsc,
    UnitResult,
    build_result,
    validate_message,
)

REPEATS = 5
PAYLOADS = 1_000


def _payloads() -> list[UnitResult]:
    nocs = ["USA", "JAM", "GBR", "FRA", "CAN", "KEN", "ITA", "RSA", "BOT", "JPN"]
    payloads = []
    for number in range(PAYLOADS):
        unit = Rsc.build("ATH", "M", "100M", "HEAT", f"{number % 99 + 1:04d}00")
        lines = []
        for lane in range(1, 9):
            person = (number * 8 + lane) % 400
            athlete = Athlete(
                f"1{person:06d}", f"FAMILY{person}", "M", nocs[person % 10], f"Given{person}"
            )
            lines.append(
                ResultLine(
                    Competitor.individual(athlete, bib=str(1000 + person)),
                    rank=str(lane),
                    result=f"{9 + lane / 10 + number / 10_000:.2f}",
                    result_type="TIME",
                    sort_order=lane,
                    start_order=str(lane),
                    qualification_mark="Q" if lane <= 3 else None,
                    records=(RecordMark("WR", "WR"),) if lane == 1 and number % 50 == 0 else (),
                )
            )
        payloads.append(UnitResult(unit, tuple(lines)))
    return payloads


def _header(unit: Rsc) -> MessageHeader:
    return MessageHeader(
        competition_code="OG2024",
        document_code=unit,
        document_type="DT_RESULT",
        version=3,
        feed_flag="P",
        date=date(2024, 8, 4),
        time=clock_time(21, 55, 1, 123000),
        logical_date=date(2024, 8, 4),
        source="PODIUM",
        result_status="OFFICIAL",
        gen="OG2024-GEN-1.0",
        codes="OG2024-CODES-1.0",
    )


def _lxml_tree(header: MessageHeader, result: UnitResult) -> bytes:
    """The same message built with lxml SubElement calls, as a reference point."""
    sub = etree.SubElement
    root = etree.Element("OdfBody", {"CompetitionCode": header.competition_code})
    competition = sub(root, "Competition", {"Gen": "G", "Codes": "C"})
    for line in result.lines:
        element = sub(
            competition,
            "Result",
            {"Rank": line.rank or "", "Result": line.result or "", "SortOrder": "1"},
        )
        competitor = line.competitor
        comp = sub(
            element,
            "Competitor",
            {"Code": competitor.code, "Type": "A", "Organisation": competitor.organisation},
        )
        composition = sub(comp, "Composition")
        for athlete in competitor.athletes:
            holder = sub(composition, "Athlete", {"Code": athlete.code, "Order": "1"})
            sub(
                holder,
                "Description",
                {
                    "FamilyName": athlete.family_name,
                    "GivenName": athlete.given_name or "",
                    "Gender": athlete.gender,
                    "Organisation": athlete.organisation,
                },
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _rate(count: int, run: Callable[[], object]) -> float:
    rates = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def main(count: int) -> None:
    """Run the benchmark with `count` messages per repeat and print the rates."""
    payloads = _payloads()
    work = [(_header(p.unit), p) for p in payloads]
    jobs = [work[i % PAYLOADS] for i in range(count)]
    sample = build_result(*work[0])
    tree = etree.fromstring(sample)

    def build_all() -> None:
        for header, payload in jobs:
            build_result(header, payload)

    def serialise_all() -> None:
        for _ in range(count):
            etree.tostring(tree, xml_declaration=True, encoding="UTF-8")

    def lxml_all() -> None:
        for header, payload in jobs:
            _lxml_tree(header, payload)

    messages = [build_result(*item) for item in work]

    def validate_all() -> None:
        for message in messages:
            validate_message(message)

    built = _rate(count, build_all)
    baseline = _rate(count, serialise_all)
    tree_built = _rate(count, lxml_all)
    validated = _rate(len(messages), validate_all)
    print(f"DT_RESULT, 8 competitors, {len(sample)} bytes; N={count}, median of {REPEATS}")
    print(f"  build_result                      {built:>10,.0f} msg/s")
    print(f"  baseline etree.tostring(prebuilt) {baseline:>10,.0f} msg/s")
    print(f"  ratio build/baseline              {built / baseline:>10.2f}")
    print(f"  reference lxml SubElement+tostring{tree_built:>10,.0f} msg/s")
    print(f"  validate_message (XSD)            {validated:>10,.0f} msg/s")
    print(f"  budget 20,000 msg/s: {'met' if built >= 20_000 else 'NOT met'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
