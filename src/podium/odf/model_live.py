# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Typed, frozen payloads of DT_SCHEDULE_UPDATE, DT_PHASE_RESULT and DT_RANKING (see `model`).

Each payload names the RSC that becomes the message's DocumentCode and refuses a code of the
wrong level, so that a phase result can never be filed under a unit or an event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from podium.odf.codes import Rsc, RscLevel
from podium.odf.errors import InvalidOdfValueError

if TYPE_CHECKING:
    from podium.odf.model import ScheduleUnit
    from podium.odf.model_results import ResultLine

__all__ = ["EventRanking", "PhaseResult", "ScheduleUpdate"]


def _require_level(document_type: str, code: str, level: RscLevel) -> Rsc:
    rsc = Rsc(code)
    if rsc.level is not level:
        msg = (
            f"{document_type} DocumentCode must be a {level.name.lower()}-level RSC, "
            f"got {rsc.level.name.lower()}-level {rsc}"
        )
        raise InvalidOdfValueError(msg, code="odf_wrong_rsc_level")
    return rsc


@dataclass(frozen=True, slots=True)
class ScheduleUpdate:
    """The DT_SCHEDULE_UPDATE payload: the units of one discipline whose schedule changed.

    Only the changed units are sent, each whole (same shape as in DT_SCHEDULE); units not
    sent keep what the last DT_SCHEDULE or DT_SCHEDULE_UPDATE said.

    Args:
        discipline: the discipline-level RSC, also the message's DocumentCode, for example
            `ATH-------------------------------`.
        units: the changed units, in message order; at least one, all of `discipline`.

    Raises:
        InvalidOdfValueError: `odf_wrong_rsc_level` when `discipline` is not discipline-level,
            `odf_empty_update` when `units` is empty, `odf_rsc_outside_document` when a unit
            belongs to another discipline.
        InvalidRscError: `discipline` is not a valid RSC.

    Rule source: ODF Foundation Principles (DT_SCHEDULE_UPDATE); schema `scheduleUnitType`.

    """

    discipline: Rsc
    units: tuple[ScheduleUnit, ...]

    def __post_init__(self) -> None:
        """Check the level of `discipline` and that every unit belongs to it."""
        discipline = _require_level("DT_SCHEDULE_UPDATE", self.discipline, RscLevel.DISCIPLINE)
        if not self.units:
            msg = f"DT_SCHEDULE_UPDATE for {discipline} needs at least one changed unit"
            raise InvalidOdfValueError(msg, code="odf_empty_update")
        for unit in self.units:
            if Rsc(unit.code).discipline != discipline:
                msg = f"unit {unit.code} is not of discipline {discipline}"
                raise InvalidOdfValueError(msg, code="odf_rsc_outside_document")


@dataclass(frozen=True, slots=True)
class PhaseResult:
    """The DT_PHASE_RESULT payload: the standings of one phase across its units.

    Args:
        phase: the phase-level RSC, also the message's DocumentCode, for example
            `ATHM100M--------------SFNL--------`.
        lines: the ranked lines of the phase, in `SortOrder`.

    Raises:
        InvalidOdfValueError: `odf_wrong_rsc_level` when `phase` is not phase-level.
        InvalidRscError: `phase` is not a valid RSC.

    Rule source: ODF Foundation Principles (DT_PHASE_RESULT); schema `resultType`.

    """

    phase: Rsc
    lines: tuple[ResultLine, ...]

    def __post_init__(self) -> None:
        """Check the level of `phase`."""
        _require_level("DT_PHASE_RESULT", self.phase, RscLevel.PHASE)


@dataclass(frozen=True, slots=True)
class EventRanking:
    """The DT_RANKING payload: the final ranking of one event.

    Args:
        event: the event-level RSC, also the message's DocumentCode, for example
            `ATHM100M--------------------------`.
        lines: the ranked lines of the event, in `SortOrder`.

    Raises:
        InvalidOdfValueError: `odf_wrong_rsc_level` when `event` is not event-level.
        InvalidRscError: `event` is not a valid RSC.

    Rule source: ODF Foundation Principles (DT_RANKING); schema `resultType`.

    """

    event: Rsc
    lines: tuple[ResultLine, ...]

    def __post_init__(self) -> None:
        """Check the level of `event`."""
        _require_level("DT_RANKING", self.event, RscLevel.EVENT)
