"""Medals: awards from a final ranking, and the medal standings of a Games.

Pure: values in, values out.

Errors:
    MedalError (InvalidInputError)  code `two_bronzes_expected`
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from podium.core.errors import InvalidInputError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import date

__all__ = [
    "Competition",
    "FinalPlace",
    "Medal",
    "MedalAward",
    "MedalError",
    "MedalRule",
    "MedalStanding",
    "allocate_medals",
    "medal_standings",
    "rank_medal_counts",
]


class MedalError(InvalidInputError):
    """A final ranking that cannot give the medals its rule asks for."""

    code = "two_bronzes_expected"


class Competition(StrEnum):
    """The competition a medal belongs to (ODF competition code)."""

    OG2024 = "OG2024"
    PG2024 = "PG2024"


class Medal(StrEnum):
    """A medal, in the order of its value (ODF `@Medal`: ME_GOLD, ME_SILVER, ME_BRONZE)."""

    GOLD = "GOLD"
    SILVER = "SILVER"
    BRONZE = "BRONZE"


class MedalRule(StrEnum):
    """How many bronze medals an event awards.

    `SINGLE_BRONZE`: one bronze, to the third-ranked (more only on a tie).
    `TWO_BRONZES`: both losing semi-finalists, or both repechage/bronze-contest winners,
    get a bronze: judo (IJF Sport and Organisation Rules, repechage system), boxing (Paris
    2024 Boxing Unit rules: no bronze bout), taekwondo (World Taekwondo Competition Rules,
    repechage) and wrestling (UWW International Wrestling Rules, repechage).
    """

    SINGLE_BRONZE = "single_bronze"
    TWO_BRONZES = "two_bronzes"


@dataclass(frozen=True, slots=True)
class MedalAward:
    """One medal won by one participant (athlete or team) in one event.

    Attributes:
        competition: OG2024 or PG2024.
        event_key: the event's key (an ODF event code, or discipline/event name).
        discipline: discipline name or code.
        medal: gold, silver or bronze.
        noc: three-letter NOC code (`AIN` for Individual Neutral Athletes).
        participant_code: athlete or team code.
        participant_name: as published.
        date: the day the medal was won.
        team_code: the team the award belongs to when awards are per team member; team
            members sharing it count once in the standings.

    """

    competition: Competition
    event_key: str
    discipline: str
    medal: Medal
    noc: str
    participant_code: str
    participant_name: str
    date: date
    team_code: str | None = None


@dataclass(frozen=True, slots=True)
class FinalPlace:
    """A participant's place in the final ranking of an event.

    Attributes:
        participant_code: athlete or team code.
        rank: 1-based final rank (competition ranking), None when unranked.

    """

    participant_code: str
    rank: int | None


@dataclass(frozen=True, slots=True)
class MedalStanding:
    """A NOC's line in the medal standings.

    Attributes:
        noc: three-letter NOC code.
        gold: gold medals.
        silver: silver medals.
        bronze: bronze medals.
        total: all medals.
        rank: 1-based rank by gold, then silver, then bronze; equal counts share it.

    """

    noc: str
    gold: int
    silver: int
    bronze: int
    total: int
    rank: int


_BY_RANK = {1: Medal.GOLD, 2: Medal.SILVER, 3: Medal.BRONZE}


def allocate_medals(ranked_final: Iterable[FinalPlace], rule: MedalRule) -> dict[str, Medal]:
    """Give the medals of an event from its final ranking.

    Args:
        ranked_final: the final ranking, competition-ranked (a tie for first gives
            1, 1, 3, so two golds and no silver).
        rule: one bronze or two (combat sports, see `MedalRule`).

    Returns:
        The medal of each medallist, keyed by participant code; others are absent.

    Raises:
        MedalError: code `two_bronzes_expected` when a `TWO_BRONZES` event does not
            have exactly two participants ranked third; `not_competition_ranking` when a
            rank does not follow the places before it (1, 1, 2); `participant_ranked_twice`.

    Rule source: Olympic Charter, bye-law to rule 56 (medals for first, second and
    third; a tie gives each tied competitor the medal).

    """
    places = list(ranked_final)
    _check_competition_ranking(places)
    medals = {
        place.participant_code: _BY_RANK[place.rank] for place in places if place.rank in _BY_RANK
    }
    bronzes = sum(1 for medal in medals.values() if medal is Medal.BRONZE)
    if rule is MedalRule.TWO_BRONZES and bronzes != 2:
        message = f"two bronzes expected, the final ranking gives {bronzes}"
        raise MedalError(message)
    return medals


def _check_competition_ranking(places: list[FinalPlace]) -> None:
    """Refuse a ranking that is not standard competition ranking, or repeats someone.

    Read from `1, 1, 2` the medals would be wrong (two golds and a silver).
    """
    codes = [p.participant_code for p in places]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        message = f"participant ranked twice: {', '.join(repeated)}"
        raise MedalError(message, code="participant_ranked_twice")
    ranks = sorted(p.rank for p in places if p.rank is not None)
    for rank in set(ranks):
        better = sum(1 for r in ranks if r < rank)
        if rank != better + 1:
            message = (
                f"rank {rank} follows {better} better places: expected rank {better + 1}"
                " (standard competition ranking, 1, 1, 3)"
            )
            raise MedalError(message, code="not_competition_ranking")


def _counted(awards: Iterable[MedalAward]) -> set[tuple[str, str, Medal, str, str]]:
    return {
        (a.competition, a.event_key, a.medal, a.noc, a.team_code or a.participant_code)
        for a in awards
    }


def medal_standings(awards: Iterable[MedalAward]) -> list[MedalStanding]:
    """Count medals per NOC and rank the NOCs.

    Args:
        awards: medal awards; per-member awards of a team count once (see
            `MedalAward.team_code`), and an identical award given twice counts once.

    Returns:
        One standing per NOC with a medal, ordered by gold, then silver, then bronze,
        then NOC code; equal counts share a rank (1, 2, 2, 4).

    Rule source: the IOC convention of olympics.com medal tables (gold first).

    """
    counts: dict[str, dict[Medal, int]] = {}
    for _, _, medal, noc, _ in _counted(awards):
        per_noc = counts.setdefault(noc, dict.fromkeys(Medal, 0))
        per_noc[medal] += 1
    return rank_medal_counts(counts)


def rank_medal_counts(counts: Mapping[str, Mapping[Medal, int]]) -> list[MedalStanding]:
    """Rank NOCs from their medal counts: gold, then silver, then bronze.

    Args:
        counts: per NOC, the number of each medal (a missing medal counts 0).

    Returns:
        One standing per NOC, ordered by gold, then silver, then bronze, then NOC code;
        equal counts share a rank (1, 2, 2, 4).

    Rule source: the IOC convention of olympics.com medal tables (gold first).
    """
    lines = {
        noc: (per.get(Medal.GOLD, 0), per.get(Medal.SILVER, 0), per.get(Medal.BRONZE, 0))
        for noc, per in counts.items()
    }
    ordered = sorted(
        lines.items(), key=lambda item: (-item[1][0], -item[1][1], -item[1][2], item[0])
    )
    standings: list[MedalStanding] = []
    for position, (noc, (gold, silver, bronze)) in enumerate(ordered, start=1):
        previous = standings[-1] if standings else None
        same = previous is not None and (previous.gold, previous.silver, previous.bronze) == (
            gold,
            silver,
            bronze,
        )
        rank = previous.rank if same and previous is not None else position
        standings.append(MedalStanding(noc, gold, silver, bronze, gold + silver + bronze, rank))
    return standings
