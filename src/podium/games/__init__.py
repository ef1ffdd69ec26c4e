"""Games master data: disciplines, NOCs, venues, events, phases, units and sessions.

Public surface: the table models and the read queries. Codes are ODF codes; the RSC
type comes from `podium.odf`.
"""

from podium.games.models import (
    CompetitionSession,
    Discipline,
    Event,
    Location,
    Noc,
    Phase,
    PreliminarySlot,
    Unit,
    Venue,
)
from podium.games.rules import GAMES_TIME_ZONE

__all__ = [
    "GAMES_TIME_ZONE",
    "CompetitionSession",
    "Discipline",
    "Event",
    "Location",
    "Noc",
    "Phase",
    "PreliminarySlot",
    "Unit",
    "Venue",
]
