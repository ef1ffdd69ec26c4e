"""Final ranking: the places that decide an event's medals, from its units' results.

An event's medals are decided by a few units whose phase is read from the unit's RSC
(characters 22 to 25 of the 34-character code, ODF Common Codes `Phase`): the final
(`FNL-`), the bronze contests after a repechage (`REPF`) and the semi-finals (`SFNL`).
How those units become a final ranking depends on the kind of competition
(`FinalFormat`); `final_format` picks it from the discipline and the shape of the final.
Every bracket rule here was checked against the Paris 2024 results feed: the gold medal
unit is `FNL-000100`, the bronze medal match `FNL-000200`, the two bronze contests of
judo, wrestling and taekwondo are `REPF000100` and `REPF000200`.

Pure: unit entries in, final places out; reading a feed is the caller's business
(`entries_from_rows` turns `csv.DictReader` rows into entries).

Errors:
    FinalRankingError (InvalidInputError)  codes `deciding_unit_missing`,
                                           `match_undecided`, `unit_code_wrong_length`,
                                           `rank_unparsable`
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING

from podium.core.errors import InvalidInputError
from podium.results.medals import FinalPlace, MedalRule, allocate_medals
from podium.results.values import Outcome, parse_outcome

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from podium.results.medals import Medal

__all__ = [
    "BRONZE_CONTEST_DISCIPLINES",
    "BRONZE_CONTEST_PHASE",
    "BRONZE_MATCH_UNIT",
    "FINAL_PHASE",
    "GOLD_UNIT",
    "RSC_LENGTH",
    "SEMIFINAL_LOSER_DISCIPLINES",
    "SEMIFINAL_PHASE",
    "FinalFormat",
    "FinalRankingError",
    "UnitEntry",
    "entries_from_rows",
    "final_format",
    "final_medals",
    "final_ranking",
    "medal_rule_for",
    "phase_code",
    "rank_bronze_contests",
    "rank_bronze_match",
    "rank_ranked_final",
    "rank_semifinal_losers",
    "unit_number",
]

RSC_LENGTH = 34
"""Length of a unit's RSC (ODF Common Codes, Results System Code)."""

FINAL_PHASE = "FNL-"
BRONZE_CONTEST_PHASE = "REPF"
SEMIFINAL_PHASE = "SFNL"
GOLD_UNIT = "000100"
"""Unit number of the gold medal unit of a bracket (and of most ranked finals: final A)."""
BRONZE_MATCH_UNIT = "000200"
"""Unit number of the bronze medal match of a bracket with a single bronze."""

BRONZE_CONTEST_DISCIPLINES = frozenset({"JUD", "WRE", "TKW"})
"""Disciplines whose repechage ends in two bronze contests, each winner a bronze medallist:
judo (IJF Sport and Organisation Rules, Olympic repechage system), wrestling (UWW
International Wrestling Rules, art. 7 repechage) and taekwondo (World Taekwondo
Competition Rules, art. 6 repechage)."""

SEMIFINAL_LOSER_DISCIPLINES = frozenset({"BOX"})
"""Disciplines with no bronze bout: both losing semi-finalists get a bronze (Paris 2024
Boxing Unit, Boxing Rules, competition format)."""


class FinalRankingError(InvalidInputError):
    """Units that cannot give an event's final ranking.

    Codes: `deciding_unit_missing` (a gold, bronze or semi-final unit the format needs is
    not among the entries), `match_undecided` (a medal match without exactly one winner
    and one loser), `unit_code_wrong_length` (an RSC that is not 34 characters) and
    `rank_unparsable` (a rank that is not a whole number).
    """

    code = "deciding_unit_missing"


class FinalFormat(StrEnum):
    """How an event's deciding units become its final ranking.

    `BRONZE_CONTESTS`: final winner 1, loser 2, each bronze-contest winner 3 (two bronzes).
    `SEMIFINAL_LOSERS`: final winner 1, loser 2, both semi-final losers 3 (two bronzes).
    `BRONZE_MATCH`: final winner 1, loser 2, bronze match winner 3, loser 4.
    `RANKED_FINAL`: the official ranks of the final unit, ties kept.
    """

    BRONZE_CONTESTS = "bronze_contests"
    SEMIFINAL_LOSERS = "semifinal_losers"
    BRONZE_MATCH = "bronze_match"
    RANKED_FINAL = "ranked_final"


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """One competitor's result in one unit.

    Attributes:
        unit_code: the unit's 34-character RSC (for example
            `JUDMO100KG------------FNL-000100--`).
        participant_code: athlete or team code.
        rank: the official rank in the unit, None when not published.
        outcome: W, L or T in a head-to-head unit, None otherwise.
        irm: the Invalid Result Mark, empty when the result is valid.

    """

    unit_code: str
    participant_code: str
    rank: int | None = None
    outcome: Outcome | None = None
    irm: str = ""


def _checked(unit_code: str) -> str:
    if len(unit_code) != RSC_LENGTH:
        message = f"unit RSC of {len(unit_code)} characters, {RSC_LENGTH} expected: {unit_code!r}"
        raise FinalRankingError(message, code="unit_code_wrong_length")
    return unit_code


def phase_code(unit_code: str) -> str:
    """Read the phase of a unit from its RSC.

    Args:
        unit_code: a 34-character unit RSC.

    Returns:
        Characters 22 to 25: `FNL-`, `SFNL`, `REPF`, `QFNL`, `HEAT`...

    Raises:
        FinalRankingError: code `unit_code_wrong_length` for a code of another length.

    Rule source: ODF Common Codes, RSC (discipline 3, gender 1, event 18, phase 4,
    unit 8).

    """
    return _checked(unit_code)[22:26]


def unit_number(unit_code: str) -> str:
    """Read the unit number of a unit from its RSC, without its sub-unit suffix.

    Args:
        unit_code: a 34-character unit RSC.

    Returns:
        Characters 26 to 31 (`000100` for both `FNL-000100--` and the team match
        `FNL-00010000`).

    Raises:
        FinalRankingError: code `unit_code_wrong_length` for a code of another length.

    Rule source: ODF Common Codes, RSC.

    """
    return _checked(unit_code)[26:32]


def _parse_rank(text: str) -> int | None:
    if not text.strip():
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise FinalRankingError(f"rank {text!r}", code="rank_unparsable") from exc
    if value != value.to_integral_value() or value < 1:
        raise FinalRankingError(f"rank {text!r}", code="rank_unparsable")
    return int(value)


def entries_from_rows(rows: Iterable[Mapping[str, str]]) -> list[UnitEntry]:
    """Turn results-feed rows into unit entries.

    Args:
        rows: mappings of column name to text, as `csv.DictReader` gives them; read by
            name: `stage_code`, `participant_code`, and when present `rank` (`1.0`, may
            be empty), `result_WLT` and `result_IRM`.

    Returns:
        One entry per row, in the input order.

    Raises:
        FinalRankingError: code `rank_unparsable` for a rank that is not a whole number.
        ResultValueError: code `result_value_unparsable` for a W/L/T that is none of them.

    """
    return [
        UnitEntry(
            unit_code=row["stage_code"],
            participant_code=row["participant_code"],
            rank=_parse_rank(row.get("rank") or ""),
            outcome=parse_outcome(row["result_WLT"]) if row.get("result_WLT") else None,
            irm=(row.get("result_IRM") or "").strip(),
        )
        for row in rows
    ]


def _unit(entries: Sequence[UnitEntry], phase: str, number: str) -> list[UnitEntry]:
    found = [
        e
        for e in entries
        if phase_code(e.unit_code) == phase and unit_number(e.unit_code) == number
    ]
    if not found:
        message = f"no {phase}{number} unit among the event's entries"
        raise FinalRankingError(message)
    return found


def _units(entries: Sequence[UnitEntry], phase: str) -> dict[str, list[UnitEntry]]:
    units: dict[str, list[UnitEntry]] = {}
    for entry in entries:
        if phase_code(entry.unit_code) == phase:
            units.setdefault(unit_number(entry.unit_code), []).append(entry)
    return units


def _winner_and_loser(match: Sequence[UnitEntry]) -> tuple[str, str]:
    """Decide a two-sided medal match by W/L, else by the two sides' ranks in the unit."""
    sides = {e.participant_code: e for e in match}
    winners = [code for code, e in sides.items() if e.outcome is Outcome.WIN]
    losers = [code for code, e in sides.items() if e.outcome is Outcome.LOSS]
    if len(sides) == 2 and len(winners) == 1 and len(losers) == 1:
        return winners[0], losers[0]
    ranked = sorted((e.rank, code) for code, e in sides.items() if e.rank is not None)
    if len(sides) == 2 and len(ranked) == 2 and ranked[0][0] != ranked[1][0]:
        return ranked[0][1], ranked[1][1]
    message = f"medal match {match[0].unit_code} has no single winner and loser"
    raise FinalRankingError(message, code="match_undecided")


def _final_places(entries: Sequence[UnitEntry]) -> list[FinalPlace]:
    winner, loser = _winner_and_loser(_unit(entries, FINAL_PHASE, GOLD_UNIT))
    return [FinalPlace(winner, 1), FinalPlace(loser, 2)]


def rank_bronze_contests(entries: Sequence[UnitEntry]) -> list[FinalPlace]:
    """Rank a bracket whose repechage ends in two bronze contests.

    Args:
        entries: the event's entries, any phase; the final (`FNL-000100`) and every
            bronze contest (`REPF` units) are read.

    Returns:
        Final winner 1, final loser 2, each bronze-contest winner 3.

    Raises:
        FinalRankingError: code `deciding_unit_missing` without the final or without any
            bronze contest; `match_undecided` for a contest without one winner and one
            loser.

    Rule source: IJF Sport and Organisation Rules (repechage: the winners of the two
    contests for bronze are third), UWW International Wrestling Rules art. 7, World
    Taekwondo Competition Rules art. 6.

    """
    contests = _units(entries, BRONZE_CONTEST_PHASE)
    if not contests:
        raise FinalRankingError("no bronze contest (REPF) among the event's entries")
    bronzes = [FinalPlace(_winner_and_loser(c)[0], 3) for _, c in sorted(contests.items())]
    return _final_places(entries) + bronzes


def rank_semifinal_losers(entries: Sequence[UnitEntry]) -> list[FinalPlace]:
    """Rank a bracket without a bronze bout: both semi-final losers are third.

    Args:
        entries: the event's entries, any phase; the final (`FNL-000100`) and the
            semi-finals (`SFNL` units) are read.

    Returns:
        Final winner 1, final loser 2, each semi-final loser 3.

    Raises:
        FinalRankingError: code `deciding_unit_missing` without the final or without any
            semi-final; `match_undecided` for a bout without one winner and one loser.

    Rule source: Paris 2024 Boxing Unit, Boxing Rules (no bronze medal bout; both
    losing semi-finalists receive a bronze medal).

    """
    semifinals = _units(entries, SEMIFINAL_PHASE)
    if not semifinals:
        raise FinalRankingError("no semi-final (SFNL) among the event's entries")
    bronzes = [FinalPlace(_winner_and_loser(s)[1], 3) for _, s in sorted(semifinals.items())]
    return _final_places(entries) + bronzes


def rank_bronze_match(entries: Sequence[UnitEntry]) -> list[FinalPlace]:
    """Rank a bracket with a single bronze medal match.

    Args:
        entries: the event's entries, any phase; the gold medal match (`FNL-000100`) and
            the bronze medal match (`FNL-000200`) are read. A match is decided by W/L,
            or, in a unit without W/L (shooting mixed team, track cycling), by the two
            sides' ranks in it.

    Returns:
        Gold match winner 1, loser 2, bronze match winner 3, loser 4.

    Raises:
        FinalRankingError: code `deciding_unit_missing` without either match;
            `match_undecided` for a match without one winner and one loser.

    Rule source: the gold and bronze medal matches of the tennis (ITF Olympic
    Regulations), badminton (BWF General Competition Regulations), table tennis (ITTF
    Handbook), fencing (FIE Technical Rules t.121), archery (World Archery Rules book 3),
    team sports (FIBA, FIVB, FIFA, IHF, FIH, World Rugby, World Aquatics tournament
    regulations) and surfing, breaking, speed climbing, shooting mixed team and track
    cycling Olympic formats.

    """
    winner, loser = _winner_and_loser(_unit(entries, FINAL_PHASE, BRONZE_MATCH_UNIT))
    return [*_final_places(entries), FinalPlace(winner, 3), FinalPlace(loser, 4)]


def _first_final(entries: Sequence[UnitEntry], final_phase: str) -> list[UnitEntry]:
    finals = _units(entries, final_phase)
    if not finals:
        raise FinalRankingError(f"no final ({final_phase}) among the event's entries")
    return finals[min(finals)]


def rank_ranked_final(
    entries: Sequence[UnitEntry], final_phase: str = FINAL_PHASE
) -> list[FinalPlace]:
    """Rank an event decided by one ranked final unit.

    Args:
        entries: the event's entries, any phase; the first unit of the final phase (the
            lowest unit number: the final, final A, `FNL-000001` in gymnastics) is read.
        final_phase: the phase code of the final: `FNL-` unless the sport names its
            final otherwise (equestrian dressage `GPFR` individual, `GPSP` team).

    Returns:
        Each competitor of that unit with its official rank, ties kept (1, 2, 2, 4);
        unranked competitors (IRM, no rank published) with None. Ordered by rank, then
        participant code, unranked last.

    Raises:
        FinalRankingError: code `deciding_unit_missing` without any final unit.

    Rule source: ODF Foundation Principles (`Rank`, `RankEqual`): the official rank of
    the final is the event's place for every sport decided by a single final (World
    Aquatics, World Athletics, World Rowing final A, ICF final A, UCI, ...).

    """
    places = {e.participant_code: e.rank for e in _first_final(entries, final_phase)}
    return sorted(
        (FinalPlace(code, rank) for code, rank in places.items()),
        key=lambda place: (place.rank is None, place.rank or 0, place.participant_code),
    )


def final_format(
    discipline_code: str, entries: Sequence[UnitEntry], final_phase: str = FINAL_PHASE
) -> FinalFormat:
    """Choose how an event's final ranking is derived.

    Args:
        discipline_code: three-letter ODF discipline code (`JUD`, `BOX`, `TEN`...).
        entries: the event's entries, any phase.
        final_phase: the phase code of the final (see `rank_ranked_final`).

    Returns:
        `BRONZE_CONTESTS` for judo, wrestling and taekwondo; `SEMIFINAL_LOSERS` for
        boxing; otherwise `BRONZE_MATCH` when the first final unit is a two-sided match
        (a gold medal match), else `RANKED_FINAL`.

    Raises:
        FinalRankingError: code `deciding_unit_missing` for a discipline outside the
            combat sports when the event has no unit in the final phase.

    Rule source: see `BRONZE_CONTEST_DISCIPLINES`, `SEMIFINAL_LOSER_DISCIPLINES` and
    the rank functions.

    """
    if discipline_code in BRONZE_CONTEST_DISCIPLINES:
        return FinalFormat.BRONZE_CONTESTS
    if discipline_code in SEMIFINAL_LOSER_DISCIPLINES:
        return FinalFormat.SEMIFINAL_LOSERS
    first = _first_final(entries, final_phase)
    if len({e.participant_code for e in first}) == 2:
        return FinalFormat.BRONZE_MATCH
    return FinalFormat.RANKED_FINAL


def _rank_in_format(
    final: FinalFormat, entries: Sequence[UnitEntry], final_phase: str
) -> list[FinalPlace]:
    if final is FinalFormat.BRONZE_CONTESTS:
        return rank_bronze_contests(entries)
    if final is FinalFormat.SEMIFINAL_LOSERS:
        return rank_semifinal_losers(entries)
    if final is FinalFormat.BRONZE_MATCH:
        return rank_bronze_match(entries)
    return rank_ranked_final(entries, final_phase)


def final_ranking(
    discipline_code: str, entries: Sequence[UnitEntry], final_phase: str = FINAL_PHASE
) -> list[FinalPlace]:
    """Derive an event's final ranking from its units' entries.

    Args:
        discipline_code: three-letter ODF discipline code.
        entries: the event's entries, any phase.
        final_phase: the phase code of a ranked final (see `rank_ranked_final`); brackets
            always read `FNL-`, `REPF` and `SFNL`.

    Returns:
        The final places, in the format `final_format` chooses.

    Raises:
        FinalRankingError: as `final_format` and the chosen rank function.

    """
    final = final_format(discipline_code, entries, final_phase)
    return _rank_in_format(final, entries, final_phase)


def medal_rule_for(final: FinalFormat) -> MedalRule:
    """Give the medal rule of a final format.

    Args:
        final: the final format.

    Returns:
        `TWO_BRONZES` for bronze contests and semi-final losers, else `SINGLE_BRONZE`.

    Rule source: see `MedalRule`.

    """
    if final in {FinalFormat.BRONZE_CONTESTS, FinalFormat.SEMIFINAL_LOSERS}:
        return MedalRule.TWO_BRONZES
    return MedalRule.SINGLE_BRONZE


def final_medals(
    discipline_code: str, entries: Sequence[UnitEntry], final_phase: str = FINAL_PHASE
) -> dict[str, Medal]:
    """Derive an event's medals from its units' entries.

    Args:
        discipline_code: three-letter ODF discipline code.
        entries: the event's entries, any phase.
        final_phase: the phase code of a ranked final (see `rank_ranked_final`).

    Returns:
        The medal of each medallist, keyed by participant code (`allocate_medals` on
        `final_ranking`, with the format's `medal_rule_for`).

    Raises:
        FinalRankingError: as `final_ranking`.
        MedalError: code `two_bronzes_expected` as `allocate_medals`.

    """
    final = final_format(discipline_code, entries, final_phase)
    return allocate_medals(_rank_in_format(final, entries, final_phase), medal_rule_for(final))
