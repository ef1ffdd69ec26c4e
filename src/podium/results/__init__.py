"""Results: unit results, ranking rules, medal allocation and the medal table.

Public surface: the tables, the public shapes, the pure rules and the read queries.
"""

from podium.results.final_ranking import (
    FinalRankingError,
    UnitEntry,
    final_medals,
    final_ranking,
)
from podium.results.medals import (
    Competition,
    FinalPlace,
    Medal,
    MedalAward,
    MedalError,
    MedalRule,
    MedalStanding,
    allocate_medals,
    medal_standings,
)
from podium.results.models import MedalRecord, UnitResult
from podium.results.queries import NEUTRAL_DELEGATIONS, medal_table, medallists, unit_results
from podium.results.rules import Direction, RankingRule, RankingRuleError, ranking_rule
from podium.results.schemas import MedallistPublic, MedalStandingPublic, ResultPublic
from podium.results.values import ResultValueError, parse_result

__all__ = [
    "NEUTRAL_DELEGATIONS",
    "Competition",
    "Direction",
    "FinalPlace",
    "FinalRankingError",
    "Medal",
    "MedalAward",
    "MedalError",
    "MedalRecord",
    "MedalRule",
    "MedalStanding",
    "MedalStandingPublic",
    "MedallistPublic",
    "RankingRule",
    "RankingRuleError",
    "ResultPublic",
    "ResultValueError",
    "UnitEntry",
    "UnitResult",
    "allocate_medals",
    "final_medals",
    "final_ranking",
    "medal_standings",
    "medal_table",
    "medallists",
    "parse_result",
    "ranking_rule",
    "unit_results",
]
