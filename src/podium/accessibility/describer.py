"""The describer: from each ODF message of the feed, short spoken descriptions of a unit.

Pure: a parsed message and what the describer remembers of each unit go in, descriptions
come out; no database, no clock. Per unit it remembers the last ResultStatus, the leader,
the standings last described and the records already announced, so that a message
repeating what was said produces nothing.

    START_LIST                     status ("start list published, 8 competitors")
    first LIVE / INTERMEDIATE      start ("... has started")
    LIVE with results              standings (top three), or leader_change when the lead changed
    UNCONFIRMED / UNOFFICIAL       leader_change when the winner was not leading, then result
    OFFICIAL                       result (if none was said yet), else status ("now official")
    any line with a record mark    record (WR, OR, PR, AR; once per competitor and mark)
    DT_MEDALLISTS                  medal (gold, silver, bronze; again only when they change)

Leaders and standings: by `Rank` when the lines carry ranks; before ranks exist (a race
in progress) by the result itself: shortest `TIME` first, most points or longest
`DISTANCE` first. Rule sources: ODF Foundation Principles §6.13 (ResultStatus), ODF
`RecordIndicators`, DT_MEDALLISTS.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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
    standings_text,
    start_list_text,
    start_text,
)
from podium.accessibility.spoken import SpeechLang
from podium.odf import EventMedallists, OdfMessage, ResultLine, UnitResult

__all__ = ["Describer", "Description", "DescriptionKind", "UnitInfo", "leader_of", "standings_of"]

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


def _seconds(value: str) -> float | None:
    match = _TIME.match(value.strip())
    if match is None:
        return None
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds)


def _performance(line: ResultLine) -> float | None:
    if not line.result or line.irm:
        return None
    seconds = _seconds(line.result)
    if seconds is None:
        return None
    return -seconds if (line.result_type or "").upper() in _HIGHER_IS_BETTER else seconds


def standings_of(lines: Sequence[ResultLine]) -> list[ResultLine]:
    """Order the lines that have a place: by `Rank`, else by the result (best first).

    Lines with an IRM, and lines with neither a rank nor a comparable result, are left out.

    Args:
        lines: a DT_RESULT's lines.

    """
    ranked = [ln for ln in lines if ln.rank and ln.rank.isdigit() and not ln.irm]
    if ranked:
        return sorted(ranked, key=lambda ln: (int(ln.rank or 0), ln.sort_order or 0))
    measured = [(p, i, ln) for i, ln in enumerate(lines) if (p := _performance(ln)) is not None]
    return [ln for _, _, ln in sorted(measured, key=lambda m: (m[0], m[1]))]


def leader_of(lines: Sequence[ResultLine]) -> ResultLine | None:
    """Return the line in first place (see `standings_of`), or None when nobody has one."""
    ordered = standings_of(lines)
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
            said += self._live(voice, state, lines)
        elif status in _ENDED:
            said += self._ended(voice, state, status, lines)
        said += self._records(voice, state, lines)
        state.status = status
        return said

    def _live(
        self, voice: Voice, state: _UnitState, lines: Sequence[ResultLine]
    ) -> list[tuple[DescriptionKind, Texts]]:
        said: list[tuple[DescriptionKind, Texts]] = []
        if state.status not in _LIVE:
            said.append(("start", start_text(voice)))
        ordered = standings_of(lines)
        signature = tuple((ln.competitor.code, ln.rank, ln.result) for ln in ordered)
        if not ordered or signature == state.standings:
            return said
        state.standings = signature
        leader = ordered[0].competitor.code
        if state.leader is not None and leader != state.leader:
            said.append(("leader_change", leader_text(voice, ordered[0])))
        else:
            said.append(("standings", standings_text(voice, ordered[:_TOP])))
        state.leader = leader
        return said

    def _ended(
        self, voice: Voice, state: _UnitState, status: str, lines: Sequence[ResultLine]
    ) -> list[tuple[DescriptionKind, Texts]]:
        official = status == "OFFICIAL"
        if state.result_said:
            if official and not state.official_said:
                state.official_said = True
                return [("status", official_text(voice))]
            return []
        ordered = standings_of(lines)
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
