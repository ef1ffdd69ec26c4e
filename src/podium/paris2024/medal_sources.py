"""Turn the bundled Paris 2024 medal files into `MedalAward`s.

Pure: rows in (as `csv.DictReader` gives them), awards out.

Which source reproduces which official table (checked by tests/results):

* Olympic table (`olympics-in-numbers/medal_table.csv`, olympics.com): Kaggle
  `medals.csv`, one row per medal, medal read from `medal_type` (not `medal_code`),
  without the `AIN` rows; or `olympics-in-numbers/medallists.csv`, team members merged
  per event, NOC and medal, without `AIN`. Both give every NOC, count and rank.
* Paralympic table (`paralympics/medals_total.csv`): `paralympics/medals.csv`, one row
  per medal, as is.

Errors:
    MedalSourceError (InvalidInputError)  code `medal_type_unknown`
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from podium.core.errors import InvalidInputError
from podium.results.medals import Competition, Medal, MedalAward

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

__all__ = [
    "NEUTRAL_NOC",
    "MedalSourceError",
    "award_from_medals_row",
    "awards_from_medals",
    "awards_from_olympics_in_numbers",
    "olympic_table_awards",
]

NEUTRAL_NOC = "AIN"
"""Individual Neutral Athletes. Their medals stand, but the IOC does not list them in
the medal table (IOC Executive Board, 8 December 2023, on AIN participation)."""

_KAGGLE_MEDALS = {
    "Gold Medal": Medal.GOLD,
    "Silver Medal": Medal.SILVER,
    "Bronze Medal": Medal.BRONZE,
}
_ODF_MEDALS = {"ME_GOLD": Medal.GOLD, "ME_SILVER": Medal.SILVER, "ME_BRONZE": Medal.BRONZE}


class MedalSourceError(InvalidInputError):
    """A medal row whose medal type is not gold, silver or bronze."""

    code = "medal_type_unknown"


def _medal(text: str, names: Mapping[str, Medal]) -> Medal:
    try:
        return names[text]
    except KeyError as exc:
        message = f"unknown medal type {text!r}"
        raise MedalSourceError(message) from exc


def award_from_medals_row(row: Mapping[str, str], competition: Competition) -> MedalAward:
    """Make an award from a row of Kaggle `medals.csv` (Olympic or Paralympic).

    Args:
        row: a row with `medal_type`, `medal_date`, `name`, `discipline`, `event`,
            `code`, `country_code`.
        competition: OG2024 or PG2024.

    Returns:
        The award; the event key is `discipline/event`. The medal comes from
        `medal_type`, because `medal_code` is `0.0` on one real bronze (Gregoria
        Mariska Tunjung, badminton women's singles, bronze without a bronze match).

    Raises:
        MedalSourceError: code `medal_type_unknown` for an unknown `medal_type`.

    """
    return MedalAward(
        competition=competition,
        event_key=f"{row['discipline']}/{row['event']}",
        discipline=row["discipline"],
        medal=_medal(row["medal_type"], _KAGGLE_MEDALS),
        noc=row["country_code"],
        participant_code=row["code"],
        participant_name=row["name"],
        date=date.fromisoformat(row["medal_date"]),
    )


def awards_from_medals(
    rows: Iterable[Mapping[str, str]], competition: Competition
) -> list[MedalAward]:
    """Make every award of a Kaggle `medals.csv` (see `award_from_medals_row`)."""
    return [award_from_medals_row(row, competition) for row in rows]


def olympic_table_awards(awards: Iterable[MedalAward]) -> list[MedalAward]:
    """Keep the awards the official Olympic medal table counts: all but `AIN`.

    Args:
        awards: awards of any source.

    Returns:
        The awards whose NOC is not `NEUTRAL_NOC`.

    """
    return [award for award in awards if award.noc != NEUTRAL_NOC]


def awards_from_olympics_in_numbers(rows: Iterable[Mapping[str, str]]) -> list[MedalAward]:
    """Make awards from `olympics-in-numbers/medallists.csv` (one row per athlete).

    Args:
        rows: rows with `athlete_id`, `country_id`, `event_id` (ODF event code),
            `discipline_id`, `date`, `medal_type` (ME_GOLD, ME_SILVER, ME_BRONZE).

    Returns:
        One award per athlete; athletes of one NOC with the same medal in the same
        event share the team code `event_id-NOC`, so a team counts once.

    Raises:
        MedalSourceError: code `medal_type_unknown` for an unknown `medal_type`.

    """
    return [
        MedalAward(
            competition=Competition.OG2024,
            event_key=row["event_id"],
            discipline=row["discipline_id"],
            medal=_medal(row["medal_type"], _ODF_MEDALS),
            noc=row["country_id"],
            participant_code=row["athlete_id"],
            participant_name=row["athlete_id"],
            date=date.fromisoformat(row["date"]),
            team_code=f"{row['event_id']}-{row['country_id']}",
        )
        for row in rows
    ]
