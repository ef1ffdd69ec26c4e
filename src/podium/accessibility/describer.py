"""The describer: from each ODF message of the feed, short spoken descriptions of a unit.

Pure: a parsed message and what the describer remembers of each unit go in, descriptions
come out; no database, no clock. Per unit it remembers the last ResultStatus, the leader,
the standings last described and the records already announced, so that a message
repeating what was said produces nothing.

    START_LIST                     status ("start list published, 8 competitors")
    first LIVE / INTERMEDIATE      start ("... has started")
    LIVE with results              standings (top three), or leader_change when the lead changed;
                                   a match (two sides) says its score instead of standings
    UNCONFIRMED / UNOFFICIAL       leader_change when the winner was not leading, then result
    OFFICIAL                       result (if none was said yet), else status ("now official")
    any line with a record mark    record (WR, OR, PR, AR; once per competitor and mark)
    DT_MEDALLISTS                  medal (gold, silver, bronze; again only when they change)

Leaders and standings: by `Rank` when the lines carry ranks; before ranks exist (a race
in progress) by the result itself, in the direction of the sport's ranking rule
(`podium.results.ranking_rule`: shortest `TIME` first, most `POINTS` first except where a
sport counts penalties, as sailing's low-point system or jumping faults, fewest golf
`STROKES` first). A result without a `ResultType` is compared only when it is written as
a time ("1:59.90"), or as a side's score in a match (the higher wins); otherwise it has
no place rather than a guessed one. A match in
progress (two sides) goes by its score, not by `Rank`, which in a live match is only
the order of the lines. Rule sources: ODF Foundation Principles §6.13 (ResultStatus), ODF
`RecordIndicators`, DT_MEDALLISTS; the ranking rules' own sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from podium.accessibility.nocs import NocNames
from podium.accessibility.phrases import (
    RECORD_NAMES,
    Texts,
    Voice,
    leader_text,
    medals_text,
    official_text,
    record_text,
    result_text,
    score_text,
    standings_text,
    start_list_text,
    start_text,
)
from podium.accessibility.spoken import SpeechLang
from podium.odf import EventMedallists, OdfMessage, ResultLine, UnitResult
from podium.results import (
    Direction,
    RankingRuleError,
    ResultValueError,
    parse_result,
    ranking_rule,
)

__all__ = [
    "Describer",
    "Description",
    "DescriptionKind",
    "UnitInfo",
    "is_match",
    "leader_of",
    "standings_of",
]

DescriptionKind = Literal[
    "start", "standings", "leader_change", "result", "record", "medal", "status"
]

_LIVE = frozenset({"LIVE", "INTERMEDIATE"})
_ENDED = frozenset({"UNCONFIRMED", "UNOFFICIAL", "OFFICIAL"})
_TIME = re.compile(r"^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)$")
_HIGHER_IS_BETTER = frozenset({"POINTS", "DISTANCE", "HEIGHT", "SCORE"})
_TOP = 3


@dataclass(frozen=True, slots=True)
class Description:
    """One description of what happened in a unit.

    Args:
        id: `<seq>-<n>`: the source message's sequence number and the description's place
            among those it produced (stable: the feed log never changes).
        unit: the unit's RSC.
        venue: the unit's venue code, or None.
        seq: the sequence number of the ODF message described.
        kind: start, standings, leader_change, result, record, medal or status.
        text_en: the English sentence.
        text_fr: the French sentence.

    """

    id: str
    unit: str
    venue: str | None
    seq: int
    kind: DescriptionKind
    text_en: str
    text_fr: str

    def text(self, lang: SpeechLang) -> str:
        """Return the sentence in `lang`."""
        return self.text_en if lang == "en" else self.text_fr


@dataclass(frozen=True, slots=True)
class UnitInfo:
    """What the games plane says of a unit, for naming it.

    Args:
        rsc: the unit's RSC.
        name: its name ("Men's 100m Final").
        event: its event's name ("Men's 100m"), or None.
        venue: its venue code, or None.

    """

    rsc: str
    name: str
    event: str | None = None
    venue: str | None = None


@dataclass
class _UnitState:
    status: str | None = None
    leader: str | None = None
    standings: tuple[tuple[str, str | None, str | None], ...] = ()
    result_said: bool = False
    official_said: bool = False
    records: set[tuple[str, str]] = field(default_factory=set)


def _result_type(line: ResultLine, untyped: str | None) -> str | None:
    kind = (line.result_type or "").upper()
    if kind:
        return kind
    result = (line.result or "").strip()
    return "TIME" if ":" in result and _TIME.match(result) else untyped


def _performance(line: ResultLine, discipline: str, untyped: str | None) -> Decimal | None:
    """Return the line's result signed so that the smaller sorts first, or None."""
    kind = _result_type(line, untyped)
    if not line.result or line.irm or kind is None:
        return None
    try:
        value = parse_result(line.result, kind)
        rule = ranking_rule(discipline, kind)
    except (ResultValueError, RankingRuleError):
        return None
    if value is None:
        return None
    return value if rule.direction is Direction.LOWER_IS_BETTER else -value


def standings_of(
    lines: Sequence[ResultLine], discipline: str = "*", *, by_rank: bool = True
) -> list[ResultLine]:
    """Order the lines that have a place: by `Rank`, else by the result (best first).

    Lines with an IRM, and lines with neither a rank nor a comparable result, are left out.

    Args:
        lines: a DT_RESULT's lines.
        discipline: the unit's three-letter discipline code (the first three characters of
            its RSC), for the direction of its ranking rule; `*` for the general rules.
        by_rank: False to ignore `Rank` (a match in progress).

    """
    ranked = [ln for ln in lines if ln.rank and ln.rank.isdigit() and not ln.irm]
    if ranked and by_rank:
        return sorted(ranked, key=lambda ln: (int(ln.rank or 0), ln.sort_order or 0))
    untyped = "SCORE" if is_match(lines) else None
    measured = [
        (p, i, ln)
        for i, ln in enumerate(lines)
        if (p := _performance(ln, discipline, untyped)) is not None
    ]
    return [ln for _, _, ln in sorted(measured, key=lambda m: (m[0], m[1]))]


def is_match(lines: Sequence[ResultLine]) -> bool:
    """Tell whether a unit's lines are the two sides of a match (a head-to-head unit).

    Two lines, and one of: a `WLT` outcome on a line (ODF: head-to-head units only), two
    teams, or a `SCORE` or `SETS` result type. Two athletes racing or scored by judges
    are not a match.
    """
    if len(lines) != 2:
        return False
    if any(ln.wlt for ln in lines):
        return True
    if all(ln.competitor.type == "T" for ln in lines):
        return True
    return any((ln.result_type or "").upper() in {"SCORE", "SETS"} for ln in lines)


def leader_of(lines: Sequence[ResultLine], discipline: str = "*") -> ResultLine | None:
    """Return the line in first place (see `standings_of`), or None when nobody has one."""
    ordered = standings_of(lines, discipline)
    return ordered[0] if ordered else None


class Describer:
    """Turns feed messages into descriptions, remembering each unit's state.

    Args:
        nocs: the spoken NOC names.
        units: looks a unit up by RSC (None when unknown: the RSC names it).

    """

    def __init__(self, nocs: NocNames, units: Callable[[str], UnitInfo | None]) -> None:
        """Start with no unit remembered."""
        self.nocs = nocs
        self.units = units
        self.states: dict[str, _UnitState] = {}
        self.medals: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}

    def _info(self, rsc: str) -> UnitInfo:
        return self.units(rsc) or UnitInfo(rsc, rsc)

    def _voice(self, info: UnitInfo) -> Voice:
        return Voice(info.name, info.event or info.name, self.nocs)

    def describe(self, seq: int, message: OdfMessage) -> list[Description]:
        """Return the descriptions of one feed message (often none).

        Args:
            seq: the message's feed sequence number.
            message: the parsed message; DT_RESULT and DT_MEDALLISTS are described.

        """
        payload = message.payload
        texts: list[tuple[DescriptionKind, Texts]] = []
        if isinstance(payload, UnitResult):
            rsc = str(payload.unit)
            info = self._info(rsc)
            status = message.header.result_status or ""
            texts = self._result(info, status, payload.lines)
        elif isinstance(payload, EventMedallists):
            rsc = str(payload.awards[0].unit)
            info = self._info(rsc)
            texts = self._medallists(info, str(payload.event), payload)
        else:
            return []
        return [
            Description(f"{seq}-{n}", info.rsc, info.venue, seq, kind, en, fr)
            for n, (kind, (en, fr)) in enumerate(texts)
        ]

    def _result(
        self, info: UnitInfo, status: str, lines: Sequence[ResultLine]
    ) -> list[tuple[DescriptionKind, Texts]]:
        state = self.states.get(info.rsc)
        if state is None or (status == "START_LIST" and state.status != "START_LIST"):
            state = self.states[info.rsc] = _UnitState()
        voice = self._voice(info)
        said: list[tuple[DescriptionKind, Texts]] = []
        if status == "START_LIST":
            if state.status != "START_LIST":
                said.append(("status", start_list_text(voice, len(lines))))
        elif status in _LIVE:
            said += self._live(voice, state, lines, info.rsc[:3])
        elif status in _ENDED:
            said += self._ended(voice, state, status, lines, info.rsc[:3])
        said += self._records(voice, state, lines)
        state.status = status
        return said

    def _live(
        self, voice: Voice, state: _UnitState, lines: Sequence[ResultLine], discipline: str
    ) -> list[tuple[DescriptionKind, Texts]]:
        said: list[tuple[DescriptionKind, Texts]] = []
        if state.status not in _LIVE:
            said.append(("start", start_text(voice)))
        match = is_match(lines)
        ordered = standings_of(lines, discipline, by_rank=not match)
        signature = tuple((ln.competitor.code, ln.rank, ln.result) for ln in ordered)
        if not ordered or signature == state.standings:
            return said
        state.standings = signature
        if match and len(ordered) == 2:
            said.append(("standings", score_text(voice, ordered)))
            return said
        leader = ordered[0].competitor.code
        if state.leader is not None and leader != state.leader:
            said.append(("leader_change", leader_text(voice, ordered[0])))
        else:
            said.append(("standings", standings_text(voice, ordered[:_TOP])))
        state.leader = leader
        return said

    def _ended(
        self,
        voice: Voice,
        state: _UnitState,
        status: str,
        lines: Sequence[ResultLine],
        discipline: str,
    ) -> list[tuple[DescriptionKind, Texts]]:
        official = status == "OFFICIAL"
        if state.result_said:
            if official and not state.official_said:
                state.official_said = True
                return [("status", official_text(voice))]
            return []
        ordered = standings_of(lines, discipline)
        if not ordered:
            return []
        said: list[tuple[DescriptionKind, Texts]] = []
        winner = ordered[0]
        if state.leader is not None and winner.competitor.code != state.leader:
            said.append(("leader_change", leader_text(voice, winner)))
        state.leader = winner.competitor.code
        said.append(("result", result_text(voice, ordered[:_TOP], official=official)))
        state.result_said, state.official_said = True, official
        return said

    def _records(
        self, voice: Voice, state: _UnitState, lines: Sequence[ResultLine]
    ) -> list[tuple[DescriptionKind, Texts]]:
        said: list[tuple[DescriptionKind, Texts]] = []
        for line in lines:
            marks = [m for m in line.records if m.record_type in RECORD_NAMES]
            if not marks or line.irm:
                continue
            mark = min(marks, key=lambda m: m.order)
            key = (line.competitor.code, mark.record_type)
            if key not in state.records:
                state.records.add(key)
                said.append(("record", record_text(voice, line, mark)))
        return said

    def _medallists(
        self, info: UnitInfo, event: str, payload: EventMedallists
    ) -> list[tuple[DescriptionKind, Texts]]:
        signature = tuple(
            (award.medal, tuple(c.code for c in award.competitors)) for award in payload.awards
        )
        if self.medals.get(event) == signature:
            return []
        self.medals[event] = signature
        return [("medal", medals_text(self._voice(info), payload.awards))]
