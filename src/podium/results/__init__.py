"""Results: unit results, ranking rules, medal allocation and the medal table.

Public surface: the tables, the public shapes, the pure rules and the read queries.
"""

from podium.results.medals import (
    Competition,
    FinalPlace,
    Medal,
    MedalAward,
    MedalRule,
    MedalStanding,
    allocate_medals,
    medal_standings,
)
from podium.results.models import MedalRecord, UnitResult
from podium.results.queries import NEUTRAL_DELEGATIONS, medal_table, medallists, unit_results
from podium.results.schemas import MedallistPublic, MedalStandingPublic, ResultPublic

__all__ = [
    "NEUTRAL_DELEGATIONS",
    "Competition",
    "FinalPlace",
    "Medal",
    "MedalAward",
    "MedalRecord",
    "MedalRule",
    "MedalStanding",
    "MedalStandingPublic",
    "MedallistPublic",
    "ResultPublic",
    "UnitResult",
    "allocate_medals",
    "medal_standings",
    "medal_table",
    "medallists",
    "unit_results",
]
