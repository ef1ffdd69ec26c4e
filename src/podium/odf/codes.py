# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""The Results System Code (RSC): the 34-character key of every ODF sport object.

Layout (ODF Foundation Principles §10.3), each part right-padded with `-`:

    ATH M 100M-------------- FNL- 000100--
    │   │ │                  │    └ unit        8 characters (positions 27-34)
    │   │ │                  └ phase           4 characters (positions 23-26)
    │   │ └ event                             18 characters (positions 5-22)
    │   └ gender                               1 character  (position 4)
    └ discipline                               3 characters (positions 1-3)

Characters allowed: `A`-`Z`, `0`-`9`, `.` and `-`. A code's level is its deepest part that is
not all dashes; truncating after a part and padding with dashes gives the code of that level.
"""

from __future__ import annotations

import enum
import re
from typing import Final, Self

from podium.odf.errors import InvalidRscError

__all__ = ["RSC_LENGTH", "Rsc", "RscLevel"]

RSC_LENGTH: Final = 34
_PART_NAMES: Final = ("discipline", "gender", "event", "phase", "unit")
_PART_LENGTHS: Final = (3, 1, 18, 4, 8)
_VALID: Final = re.compile(r"[A-Z0-9.\-]{34}")
_ALLOWED: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")


class RscLevel(enum.IntEnum):
    """How deep an RSC goes: the last part that is not all dashes (`GAMES` when none is)."""

    GAMES = 0
    DISCIPLINE = 1
    GENDER = 2
    EVENT = 3
    PHASE = 4
    UNIT = 5


_SPANS: Final = (
    (RscLevel.UNIT, 26, 34),
    (RscLevel.PHASE, 22, 26),
    (RscLevel.EVENT, 4, 22),
    (RscLevel.GENDER, 3, 4),
    (RscLevel.DISCIPLINE, 0, 3),
)


def _explain(value: str) -> InvalidRscError:
    if len(value) != RSC_LENGTH:
        return InvalidRscError(
            f"RSC must be {RSC_LENGTH} characters, got {len(value)}: {value!r}",
            code="rsc_wrong_length",
        )
    position = next(i for i, char in enumerate(value, start=1) if char not in _ALLOWED)
    return InvalidRscError(
        f"RSC has a bad character {value[position - 1]!r} at position {position} "
        f"(allowed: A-Z, 0-9, '.', '-'): {value!r}",
        code="rsc_bad_character",
    )


class Rsc(str):
    """A valid 34-character Results System Code; a frozen `str`, so it compares as text.

    Args:
        value: the 34-character code, for example `ATHM100M--------------FNL-000100--`.

    Raises:
        InvalidRscError: `rsc_not_a_string`, `rsc_wrong_length` (the message gives the length
            and the code) or `rsc_bad_character` (the message gives the 1-based position).

    Rule source: ODF Foundation Principles §10.3.

    """

    __slots__ = ()

    def __new__(cls, value: str) -> Self:
        """Validate `value` and return it as an `Rsc`; see the class docstring."""
        if isinstance(value, Rsc):
            return value  # type: ignore[return-value]
        if not isinstance(value, str):
            msg = f"RSC must be a string, got {type(value).__name__}"
            raise InvalidRscError(msg, code="rsc_not_a_string")
        if _VALID.fullmatch(value) is None:
            raise _explain(value)
        return super().__new__(cls, value)

    @classmethod
    def build(
        cls, discipline: str, gender: str = "", event: str = "", phase: str = "", unit: str = ""
    ) -> Rsc:
        """Assemble an RSC from its parts, right-padding each with `-`.

        Args:
            discipline: up to 3 characters, for example `ATH`.
            gender: up to 1 character (`M`, `W`, `X`, `O`, ...); empty for none.
            event: up to 18 characters, for example `100M`.
            phase: up to 4 characters, for example `FNL`.
            unit: up to 8 characters, for example `000100`.

        Raises:
            InvalidRscError: `rsc_part_too_long` naming the part, or `rsc_bad_character`.

        """
        parts = (discipline, gender, event, phase, unit)
        for name, part, size in zip(_PART_NAMES, parts, _PART_LENGTHS, strict=True):
            if len(part) > size:
                msg = f"RSC {name} part must be at most {size} characters, got {part!r}"
                raise InvalidRscError(msg, code="rsc_part_too_long")
        return Rsc("".join(p.ljust(n, "-") for p, n in zip(parts, _PART_LENGTHS, strict=True)))

    def _truncated(self, end: int) -> Rsc:
        if self[end:] == "-" * (RSC_LENGTH - end):
            return self
        return Rsc(self[:end].ljust(RSC_LENGTH, "-"))

    @property
    def discipline(self) -> Rsc:
        """The discipline-level code: the first 3 characters, then dashes."""
        return self._truncated(3)

    @property
    def gender(self) -> Rsc:
        """The gender-level code: discipline and gender, then dashes."""
        return self._truncated(4)

    @property
    def event(self) -> Rsc:
        """The event-level code: discipline, gender and event, then dashes."""
        return self._truncated(22)

    @property
    def phase(self) -> Rsc:
        """The phase-level code: everything up to the phase, then dashes."""
        return self._truncated(26)

    @property
    def unit(self) -> Rsc:
        """The unit-level code, which is the whole code."""
        return self

    @property
    def discipline_part(self) -> str:
        """The 3-character discipline part, for example `ATH`."""
        return self[:3]

    @property
    def gender_part(self) -> str:
        """The 1-character gender part, for example `M` (`-` when not set)."""
        return self[3]

    @property
    def event_part(self) -> str:
        """The 18-character event part, dashes included."""
        return self[4:22]

    @property
    def phase_part(self) -> str:
        """The 4-character phase part, dashes included."""
        return self[22:26]

    @property
    def unit_part(self) -> str:
        """The 8-character unit part, dashes included."""
        return self[26:]

    @property
    def level(self) -> RscLevel:
        """The deepest part that is not all dashes (`RscLevel.GAMES` for 34 dashes)."""
        for level, start, end in _SPANS:
            if self[start:end].strip("-"):
                return level
        return RscLevel.GAMES

    @property
    def is_discipline_level(self) -> bool:
        """True when only the discipline part is set."""
        return self.level is RscLevel.DISCIPLINE

    @property
    def is_gender_level(self) -> bool:
        """True when the gender is the deepest part set."""
        return self.level is RscLevel.GENDER

    @property
    def is_event_level(self) -> bool:
        """True when the event is the deepest part set (phase and unit are dashes)."""
        return self.level is RscLevel.EVENT

    @property
    def is_phase_level(self) -> bool:
        """True when the phase is the deepest part set (unit is dashes)."""
        return self.level is RscLevel.PHASE

    @property
    def is_unit_level(self) -> bool:
        """True when the unit part is set."""
        return self.level is RscLevel.UNIT
