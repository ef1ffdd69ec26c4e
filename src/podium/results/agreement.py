"""Agreement between recomputed ranks and the official ranks of a results feed.

Rows are grouped per unit (`stage_code`, the unit's RSC). A unit whose rows carry a
`result_WLT` is a head-to-head unit: its outcomes are recomputed from the scores and
compared with the official W/L/T. Any other unit with a `rank` column is ranked with
`rank_performances` and compared row by row with the official rank. Every difference is
classified into a named `DifferenceReason`.

Pure: rows in (mappings of column name to text, as `csv.DictReader` gives them), a report
out; reading the files is the caller's business.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from podium.results.rules import (
    Direction,
    Performance,
    outcomes_from_scores,
    rank_performances,
    ranking_rule,
)
from podium.results.values import parse_result

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from podium.results.rules import RankingRule

__all__ = [
    "AgreementReport",
    "DifferenceReason",
    "DisciplineAgreement",
    "RowDifference",
    "analyse_agreement",
]

_NOT_RANKING_TYPES = frozenset({"", "FAULT", "IRM", "IRM_POINTS", "IRM_RANK", "IRM_TIME"})


class DifferenceReason(StrEnum):
    """Why a recomputed rank or outcome differs from the official one."""

    TIE_BROKEN_BY_RULE = "tie_broken_by_rule"
    """Equal results as published, but the sport's tie-break separates them (photo
    finish to the thousandth, countback of 10s and inner 10s, bodyweight or earlier
    lift, finish order of a bunch given the same time, execution score)."""
    TIE_BROKEN_IN_MATCH = "tie_broken_in_match"
    """Equal match score, but a winner is decided outside it (penalty or hockey
    shoot-out, wrestling criteria, surfing best-wave tie-break)."""
    IRM_DECIDES_MATCH = "irm_decides_match"
    """A retirement or withdrawal decides the match whatever the score."""
    RANKED_WITHOUT_VALUE = "ranked_without_value"
    """The official rank comes from data not in the row: finish order of a race with no
    time (sprint, keirin, elimination, kayak cross heats), laps completed, or a rank
    kept by an IRM row (BMX DNF placed last, lapped riders, rowing BUW)."""
    RANK_ONLY_ON_OVERALL = "rank_only_on_overall"
    """The unit is one part of a phase (an apparatus of the all-around, a test of
    eventing, a bonus round) and the official rank is published only for the overall."""
    RANK_IS_PLACE_IN_EVENT = "rank_is_place_in_event"
    """The official rank is the place the unit decides in the event (a bronze medal
    match ranks 3 and 4, a classification final 5 and 6), not the place in the unit."""
    SHIFTED_BY_UNVALUED_RANK = "shifted_by_unvalued_rank"
    """A row ranked without a value (a kayak cross fault, an IRM kept in the ranking)
    sits among the ranked rows and moves every rank after it by one."""
    RANKED_LAST_BY_STATUS = "ranked_last_by_status"
    """A status not in the row ranks a competitor after every clean result whatever its
    value: a fault in the kayak cross time trial (ICF Canoe Slalom Rules, kayak cross),
    a jumping team scored with fewer members after one was eliminated (FEI Jumping
    Rules, team competitions)."""
    NO_SCORE_IN_MATCH = "no_score_in_match"
    """A head-to-head side has no score (referee stopped contest, walkover)."""


@dataclass(frozen=True, slots=True)
class RowDifference:
    """One row whose recomputed rank or outcome differs from the official one.

    Attributes:
        discipline: discipline name as in the feed (`Athletics`).
        unit: the unit's RSC (`stage_code`).
        participant_code: athlete or team code.
        official: the official rank or outcome as text, empty when none.
        recomputed: the recomputed rank or outcome as text, empty when none.
        reason: why they differ.

    """

    discipline: str
    unit: str
    participant_code: str
    official: str
    recomputed: str
    reason: DifferenceReason


@dataclass(frozen=True, slots=True)
class DisciplineAgreement:
    """How many rows of a discipline were compared and how many agreed.

    Attributes:
        discipline: discipline name as in the feed.
        compared: rows with an official rank or outcome to compare with.
        agreed: rows whose recomputed rank or outcome equals the official one.

    """

    discipline: str
    compared: int
    agreed: int

    @property
    def rate(self) -> float:
        """The share of compared rows that agreed, 1.0 when nothing was compared."""
        return self.agreed / self.compared if self.compared else 1.0


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """The agreement of recomputed ranks with the official ones, over a set of feeds.

    Attributes:
        disciplines: per-discipline counts, sorted by discipline name.
        differences: every disagreeing row with its reason.

    """

    disciplines: tuple[DisciplineAgreement, ...]
    differences: tuple[RowDifference, ...]

    @property
    def compared(self) -> int:
        """Rows compared over all disciplines."""
        return sum(d.compared for d in self.disciplines)

    @property
    def agreed(self) -> int:
        """Rows that agreed over all disciplines."""
        return sum(d.agreed for d in self.disciplines)

    @property
    def rate(self) -> float:
        """The overall share of compared rows that agreed."""
        return self.agreed / self.compared if self.compared else 1.0

    def reason_counts(self) -> dict[DifferenceReason, int]:
        """Count the differences per reason."""
        return dict(Counter(d.reason for d in self.differences))


def _text(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


def _official_rank(row: Mapping[str, str | None]) -> int | None:
    text = _text(row, "rank")
    return int(float(text)) if text else None


def _unit_rule(rows: Sequence[Mapping[str, str | None]]) -> RankingRule | None:
    types = {
        _text(row, "result_type")
        for row in rows
        if _text(row, "result") and _text(row, "result_type") not in _NOT_RANKING_TYPES
    }
    if not types:
        return None
    return ranking_rule(_text(rows[0], "discipline_code"), min(types))


def _classify_rank(
    row: Mapping[str, str | None],
    recomputed: Mapping[str, int | None],
    rows: Sequence[Mapping[str, str | None]],
) -> DifferenceReason:
    code = _text(row, "participant_code")
    official = _official_rank(row)
    mine = recomputed[code]
    if official is None:
        return DifferenceReason.RANK_ONLY_ON_OVERALL
    if mine is None:
        return DifferenceReason.RANKED_WITHOUT_VALUE
    tied = [r for r in rows if recomputed[_text(r, "participant_code")] == mine]
    official_ranks = sorted(_official_rank(r) or 0 for r in tied)
    if len(tied) > 1 and official_ranks[0] >= mine and official_ranks[-1] < mine + len(tied):
        return DifferenceReason.TIE_BROKEN_BY_RULE
    offsets = {
        (_official_rank(r) or 0) - (recomputed[_text(r, "participant_code")] or 0)
        for r in rows
        if recomputed[_text(r, "participant_code")] is not None
    }
    if len(offsets) == 1:
        return DifferenceReason.RANK_IS_PLACE_IN_EVENT
    if any(_official_rank(r) and recomputed[_text(r, "participant_code")] is None for r in rows):
        return DifferenceReason.SHIFTED_BY_UNVALUED_RANK
    return DifferenceReason.RANKED_LAST_BY_STATUS


def _compare_ranked_unit(
    discipline: str, unit: str, rows: Sequence[Mapping[str, str | None]]
) -> tuple[int, list[RowDifference]]:
    rule = _unit_rule(rows)
    performances = [
        Performance(
            _text(row, "participant_code"),
            parse_result(_text(row, "result"), _text(row, "result_type")),
            _text(row, "result_IRM"),
        )
        for row in rows
    ]
    recomputed: dict[str, int | None] = dict.fromkeys((p.key for p in performances), None)
    if rule is not None:
        recomputed.update((p.key, p.rank) for p in rank_performances(performances, rule))
    differences = [
        RowDifference(
            discipline,
            unit,
            _text(row, "participant_code"),
            _text(row, "rank"),
            str(recomputed[_text(row, "participant_code")] or ""),
            _classify_rank(row, recomputed, rows),
        )
        for row in rows
        if recomputed[_text(row, "participant_code")] != _official_rank(row)
    ]
    return len(rows), differences


def _classify_match(
    rows: Sequence[Mapping[str, str | None]], scores: Mapping[str, object]
) -> DifferenceReason:
    if any(value is None for value in scores.values()):
        return DifferenceReason.NO_SCORE_IN_MATCH
    if any(_text(row, "result_IRM") for row in rows):
        return DifferenceReason.IRM_DECIDES_MATCH
    return DifferenceReason.TIE_BROKEN_IN_MATCH


def _compare_match_unit(
    discipline: str, unit: str, rows: Sequence[Mapping[str, str | None]]
) -> tuple[int, list[RowDifference]]:
    scores = {
        _text(row, "participant_code"): parse_result(
            _text(row, "result"), _text(row, "result_type") or "POINTS"
        )
        for row in rows
    }
    known = {key: value for key, value in scores.items() if value is not None}
    timed = {_text(row, "result_type") for row in rows} & {"TIME", "IRM_TIME"}
    direction = Direction.LOWER_IS_BETTER if timed else Direction.HIGHER_IS_BETTER
    outcomes = outcomes_from_scores(known, direction) if len(known) == len(scores) else {}
    differences = []
    for row in rows:
        code = _text(row, "participant_code")
        mine = outcomes.get(code)
        if mine is None or mine.value != _text(row, "result_WLT"):
            reason = _classify_match(rows, scores)
            recomputed = mine.value if mine is not None else ""
            differences.append(
                RowDifference(discipline, unit, code, _text(row, "result_WLT"), recomputed, reason)
            )
    return len(rows), differences


def _compare_unit(
    discipline: str, unit: str, rows: Sequence[Mapping[str, str | None]]
) -> tuple[int, list[RowDifference]]:
    matches = [row for row in rows if _text(row, "result_WLT")]
    ranked = [row for row in rows if not _text(row, "result_WLT") and "rank" in row]
    compared, differences = 0, []
    for subset, compare in ((matches, _compare_match_unit), (ranked, _compare_ranked_unit)):
        if subset:
            count, found = compare(discipline, unit, subset)
            compared += count
            differences.extend(found)
    return compared, differences


def analyse_agreement(rows: Iterable[Mapping[str, str | None]]) -> AgreementReport:
    """Recompute every unit's ranks and outcomes and compare them with the official ones.

    Args:
        rows: result rows of any number of disciplines, as `csv.DictReader` gives them
            (columns read by name: `discipline_name`, `discipline_code`, `stage_code`,
            `participant_code`, `rank`, `result`, `result_type`, `result_IRM`,
            `result_WLT`); rows with neither a `rank` column nor an outcome are skipped.

    Returns:
        Per-discipline counts and every difference with its reason.

    Raises:
        ResultValueError: a result that does not parse (see `podium.results.values`).
        RankingRuleError: a result type with no ranking rule.

    """
    units: dict[tuple[str, str], list[Mapping[str, str | None]]] = defaultdict(list)
    for row in rows:
        units[_text(row, "discipline_name"), _text(row, "stage_code")].append(row)
    compared: Counter[str] = Counter()
    differences: list[RowDifference] = []
    for (discipline, unit), unit_rows in units.items():
        count, found = _compare_unit(discipline, unit, unit_rows)
        compared[discipline] += count
        differences.extend(found)
    disagreed = Counter(d.discipline for d in differences)
    disciplines = tuple(
        DisciplineAgreement(name, compared[name], compared[name] - disagreed[name])
        for name in sorted(compared)
    )
    return AgreementReport(disciplines, tuple(differences))
