"""Ranking rules: recompute the ranks of a unit from its raw results.

Pure functions, values in and values out. A unit's performances are ranked by the
direction of their result type (lower time is better; higher points are better except
where a sport counts penalties or strokes), equal values share a rank (ODF `RankEqual`,
standard competition ranking 1, 2, 2, 4), and rows with an Invalid Result Mark are
unranked and listed after the ranked rows in `IRM_ORDER`. Head-to-head units rank the
winner before the loser.

Errors:
    RankingRuleError (InvalidInputError)  code `ranking_rule_missing`
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from podium.core.errors import InvalidInputError
from podium.results.values import Outcome

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from decimal import Decimal

__all__ = [
    "IRM_ORDER",
    "RANKED_IRMS",
    "RANKING_RULES",
    "Direction",
    "Performance",
    "Placing",
    "RankingRule",
    "RankingRuleError",
    "competition_ranks",
    "outcomes_from_scores",
    "rank_head_to_head",
    "rank_performances",
    "ranking_rule",
]


class RankingRuleError(InvalidInputError):
    """No ranking rule is known for a discipline and result type (`ranking_rule_missing`)."""

    code = "ranking_rule_missing"


class Direction(StrEnum):
    """Which way a result type is better."""

    LOWER_IS_BETTER = "lower"
    HIGHER_IS_BETTER = "higher"


@dataclass(frozen=True, slots=True)
class RankingRule:
    """How a result type ranks in a discipline.

    Attributes:
        direction: lower or higher values are better.
        source: the rulebook the direction comes from.

    """

    direction: Direction
    source: str


_LOWER = Direction.LOWER_IS_BETTER
_HIGHER = Direction.HIGHER_IS_BETTER
_ANY = "*"

RANKING_RULES: Mapping[tuple[str, str], RankingRule] = {
    (_ANY, "TIME"): RankingRule(_LOWER, "every timed sport: the shortest time wins"),
    (_ANY, "POINTS"): RankingRule(_HIGHER, "judged and scored sports: the most points win"),
    (_ANY, "IRM_POINTS"): RankingRule(_HIGHER, "as POINTS"),
    (_ANY, "DISTANCE"): RankingRule(_HIGHER, "World Athletics Competition Rules, TR 25"),
    (_ANY, "SCORE"): RankingRule(_HIGHER, "the higher score wins the match"),
    (_ANY, "SETS"): RankingRule(_HIGHER, "World Archery Rules, book 3, 14.2 set system"),
    (_ANY, "WEIGHT"): RankingRule(_HIGHER, "IWF Technical and Competition Rules, 6.6 total"),
    (_ANY, "PERCENT"): RankingRule(_HIGHER, "FEI Dressage Rules, art. 432 percentage"),
    ("GLF", "STROKES"): RankingRule(_LOWER, "Rules of Golf, rule 3.1 stroke play"),
    ("SAL", "POINTS"): RankingRule(
        _LOWER, "World Sailing Racing Rules of Sailing, appendix A4 low point system"
    ),
    ("SAL", "IRM_POINTS"): RankingRule(
        _LOWER, "World Sailing Racing Rules of Sailing, appendix A5 scores as penalties"
    ),
    ("EQU", "POINTS"): RankingRule(
        _LOWER, "FEI Jumping Rules art. 236 and FEI Eventing Rules: penalty points"
    ),
}
"""Ranking rules keyed by (discipline code, result type); `*` is any discipline.

A discipline entry overrides the `*` entry for the same result type.
"""

RANKED_IRMS = frozenset({"DPI", "RDG", "SCP"})
"""IRMs that change a score but keep the competitor ranked (sailing penalty and redress,
World Sailing Racing Rules of Sailing, appendix A10)."""

IRM_ORDER: tuple[str, ...] = (
    "LAP", "OVL", "REL", "DNF", "RET", "INJ", "Fall", "FS", "EL", "RT", "WD", "WDR", "NM",
    "DQ", "DSQ", "DQB", "UFD", "BFD", "OCS", "BUW", "DNS", "DNC", "W/O",
)  # fmt: skip
"""Order of unranked rows after the ranked ones: did not finish, then disqualified, then
did not start, as ODF results lists show them (ODF Foundation Principles, IRM)."""


@dataclass(frozen=True, slots=True)
class Performance:
    """One competitor's raw result in a unit.

    Attributes:
        key: the competitor's code (athlete or team).
        value: the parsed result (seconds, points, metres...), None when there is none.
        irm: the Invalid Result Mark, empty when the result is valid.

    """

    key: str
    value: Decimal | None
    irm: str = ""


@dataclass(frozen=True, slots=True)
class Placing:
    """A recomputed place in a unit.

    Attributes:
        key: the competitor's code.
        rank: 1-based competition rank, None when unranked (IRM or no value).
        irm: the Invalid Result Mark carried over from the performance.

    """

    key: str
    rank: int | None
    irm: str = ""


def ranking_rule(discipline_code: str, result_type: str) -> RankingRule:
    """Find the ranking rule for a result type in a discipline.

    Args:
        discipline_code: three-letter ODF discipline code (`ATH`, `SAL`, `GLF`...).
        result_type: ODF result type (`TIME`, `POINTS`, `STROKES`...).

    Returns:
        The discipline's own rule if it has one, else the rule for any discipline.

    Raises:
        RankingRuleError: code `ranking_rule_missing` when neither exists.

    """
    rule = RANKING_RULES.get((discipline_code, result_type)) or RANKING_RULES.get(
        (_ANY, result_type)
    )
    if rule is None:
        message = f"no ranking rule for {result_type!r} in {discipline_code!r}"
        raise RankingRuleError(message)
    return rule


def competition_ranks(values: Iterable[Decimal], direction: Direction) -> list[int]:
    """Rank values with standard competition ranking (1, 2, 2, 4).

    Args:
        values: the values, in any order.
        direction: which way is better.

    Returns:
        The rank of each value, in the input order; equal values share the best rank
        (ODF `RankEqual`).

    """
    listed = list(values)
    sign = 1 if direction is Direction.LOWER_IS_BETTER else -1
    ordered = sorted(sign * value for value in listed)
    first_rank: dict[Decimal, int] = {}
    for index, value in enumerate(ordered, start=1):
        first_rank.setdefault(value, index)
    return [first_rank[sign * value] for value in listed]


def _irm_position(irm: str) -> int:
    return IRM_ORDER.index(irm) if irm in IRM_ORDER else len(IRM_ORDER)


def rank_performances(performances: Iterable[Performance], rule: RankingRule) -> list[Placing]:
    """Rank a unit's performances.

    Args:
        performances: the unit's rows, in any order.
        rule: the ranking rule of their result type.

    Returns:
        Ranked placings first, best rank first (ties by key, so the output does not
        depend on the input order), then unranked ones: IRM rows in `IRM_ORDER`, then
        rows without a value.

    Rule source: ODF Foundation Principles (`Rank`, `RankEqual`, `IRM`); IRMs in
    `RANKED_IRMS` keep a rank (World Sailing RRS appendix A).

    """
    listed = list(performances)
    ranked = [p for p in listed if p.value is not None and (not p.irm or p.irm in RANKED_IRMS)]
    ranks = competition_ranks((p.value for p in ranked if p.value is not None), rule.direction)
    placings = sorted(
        (Placing(p.key, rank, p.irm) for p, rank in zip(ranked, ranks, strict=True)),
        key=lambda placing: (placing.rank, placing.key),
    )
    unranked = sorted(
        (p for p in listed if p not in ranked),
        key=lambda p: (not p.irm, _irm_position(p.irm), p.key),
    )
    return placings + [Placing(p.key, None, p.irm) for p in unranked]


def outcomes_from_scores(
    scores: Mapping[str, Decimal], direction: Direction = Direction.HIGHER_IS_BETTER
) -> dict[str, Outcome]:
    """Decide a head-to-head unit from each side's score.

    Args:
        scores: the score of each side (points, goals, sets; seconds in a speed
            climbing race), keyed by competitor code.
        direction: which way is better; higher unless the unit is timed.

    Returns:
        `W` for the single best score, `L` for the others; `T` for every side when the
        best score is shared.

    Rule source: the match is won by the side with the higher final score (every
    head-to-head sport's rules; tie-breaks such as shoot-outs are scored outside).

    """
    if not scores:
        return {}
    pick = max if direction is Direction.HIGHER_IS_BETTER else min
    best = pick(scores.values())
    winners = [key for key, score in scores.items() if score == best]
    if len(winners) > 1:
        return dict.fromkeys(scores, Outcome.TIE)
    return {key: Outcome.WIN if score == best else Outcome.LOSS for key, score in scores.items()}


def rank_head_to_head(outcomes: Mapping[str, Outcome]) -> dict[str, int]:
    """Rank the sides of a head-to-head unit: a win (or a tie) is 1, a loss is 2.

    Args:
        outcomes: each side's outcome, keyed by competitor code.

    Returns:
        Each side's rank in the unit.

    Rule source: ODF Foundation Principles, `ResultType` W/L/T; W ranks before L.

    """
    return {key: 2 if outcome is Outcome.LOSS else 1 for key, outcome in outcomes.items()}
