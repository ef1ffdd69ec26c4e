# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Typed, frozen payload of DT_PARTIC: the participants of one discipline (see `model`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from podium.odf.codes import Rsc
    from podium.odf.model import Gender

__all__ = ["Participant", "ParticipantList"]


@dataclass(frozen=True, slots=True)
class Participant:
    """A published participant (`Participant`, schema `participantType`).

    Only what is published on results is carried: no birth date, passport name, height or
    place of birth, because those live in the sovereign plane (DESIGN.md, two planes).

    Args:
        code: `Code`, the ODF participant code.
        family_name: `FamilyName`.
        gender: `Gender`, `M`, `F` or `X`.
        organisation: `Organisation`, the NOC code.
        print_name: `PrintName`, for example `CERNY Ondřej`.
        print_initial_name: `PrintInitialName`, for example `CERNY O`.
        tv_name: `TVName`, for example `Ondřej CERNY`.
        tv_initial_name: `TVInitialName`, for example `O. CERNY`.
        tv_family_name: `TVFamilyName`, for example `CERNY`.
        discipline: `Discipline@Code`, the discipline-level RSC.
        given_name: `GivenName` or None.
        events: the event RSCs entered, as `DisciplineEntry Type="EVENT" Code=<RSC>`.
        status: `Status` (the SYOG2026 samples use `CNF`).
        parent: `Parent`, the code of the person record; None means `code`.
        main_function_id: `MainFunctionId` (`AA01` athlete, `COACH`, ...) or None.

    """

    code: str
    family_name: str
    gender: Gender
    organisation: str
    print_name: str
    print_initial_name: str
    tv_name: str
    tv_initial_name: str
    tv_family_name: str
    discipline: Rsc
    given_name: str | None = None
    events: tuple[Rsc, ...] = ()
    status: str = "CNF"
    parent: str | None = None
    main_function_id: str | None = None


@dataclass(frozen=True, slots=True)
class ParticipantList:
    """The DT_PARTIC payload of one discipline.

    Args:
        discipline: the discipline-level RSC, also the message's DocumentCode.
        participants: the participants, in message order.

    """

    discipline: Rsc
    participants: tuple[Participant, ...]
