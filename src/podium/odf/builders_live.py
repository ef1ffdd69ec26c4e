# Copyright 2026 Podium contributors. Licensed under the Apache License 2.0.
"""Builders of DT_SCHEDULE_UPDATE, DT_PHASE_RESULT and DT_RANKING, and of invalidations.

Like `builders`, each returns UTF-8 XML bytes with a declaration, valid against the bundled
SYOG2026 schema (the tests prove it), and never validates at run time.

What the schema allows (`xsd/odf2.xsd`, `xsd/odf2-structure.xsd`): `OdfBody` holds an
optional `Competition` followed by any number of `Note` (plain text), and `Competition` has
one content model for every DocumentType, so the schema cannot tell a DT_SCHEDULE_UPDATE from
a DT_SCHEDULE, nor a DT_PHASE_RESULT from a DT_RESULT. We therefore write DT_SCHEDULE_UPDATE
with the `Unit` elements of DT_SCHEDULE (changed units only), and DT_PHASE_RESULT and
DT_RANKING with the `Result` elements of DT_RESULT; the DocumentCode level (discipline, phase,
event) is what tells them apart, and the payload models check it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from podium.odf._text import attr
from podium.odf._xml import (
    build_root,
    check_header,
    header_attributes,
    open_text,
    reports_bad_text,
    serialise,
    sub,
)
from podium.odf.builders import _write_unit
from podium.odf.builders_results import _line_text
from podium.odf.errors import InvalidOdfValueError

if TYPE_CHECKING:
    from podium.odf.model import MessageHeader
    from podium.odf.model_live import EventRanking, PhaseResult, ScheduleUpdate
    from podium.odf.model_results import ResultLine

__all__ = ["build_invalidation", "build_phase_result", "build_ranking", "build_schedule_update"]


def _write_notes(root: etree._Element, notes: tuple[str, ...]) -> None:
    for note in notes:
        sub(root, "Note").text = note


def _notes_text(notes: tuple[str, ...]) -> str:
    return "".join(f"<Note>{attr(note)}</Note>" for note in notes)


@reports_bad_text
def build_schedule_update(
    header: MessageHeader, update: ScheduleUpdate, *, notes: tuple[str, ...] = ()
) -> bytes:
    """Build a DT_SCHEDULE_UPDATE message: the changed units of one discipline.

    Each unit is written whole, exactly as `build_schedule` writes it (`Unit` with its
    `ItemName`s and `VenueDescription`); sessions and extended infos are not sent.

    Args:
        header: DocumentType `DT_SCHEDULE_UPDATE`, DocumentCode the discipline RSC.
        update: the discipline and its changed units.
        notes: `OdfBody/Note` texts, after `Competition`, in order.

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch (`odf_wrong_document_type`,
            `odf_document_code_mismatch`), missing `gen`/`codes`, bad text (`odf_bad_text`).

    Rule source: ODF Foundation Principles (DT_SCHEDULE_UPDATE); schema `competitionType`,
    `scheduleUnitType`.

    """
    root, competition = build_root(header, "DT_SCHEDULE_UPDATE", update.discipline)
    for unit in update.units:
        _write_unit(competition, unit)
    _write_notes(root, notes)
    return serialise(root)


def _ranked_message(
    header: MessageHeader,
    document_type: str,
    document_code: str,
    lines: tuple[ResultLine, ...],
    notes: tuple[str, ...],
) -> bytes:
    check_header(header, document_type, document_code)
    if header.result_status is None:
        msg = f"{document_type} for {document_code} needs a ResultStatus in its header"
        raise InvalidOdfValueError(msg, code="odf_missing_result_status")
    body = "".join([_line_text(line) for line in lines])
    return f"{open_text(header)}{body}</Competition>{_notes_text(notes)}</OdfBody>".encode()


def build_phase_result(
    header: MessageHeader, result: PhaseResult, *, notes: tuple[str, ...] = ()
) -> bytes:
    """Build a DT_PHASE_RESULT message: the ranked lines of one phase.

    The lines are written exactly as `build_result` writes a unit's (`Result` elements with
    their `Competitor`).

    Args:
        header: DocumentType `DT_PHASE_RESULT`, DocumentCode the phase RSC, and a
            ResultStatus (check it with `check_result_transition` first).
        result: the phase and its lines, in `SortOrder`.
        notes: `OdfBody/Note` texts, after `Competition`, in order; send one with any
            correction (`requires_note`).

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`,
            `odf_missing_result_status` when the header has no ResultStatus, or text with
            control characters (`odf_bad_text`).

    Rule source: ODF Foundation Principles (DT_PHASE_RESULT); schema `resultType`.

    """
    return _ranked_message(header, "DT_PHASE_RESULT", result.phase, result.lines, notes)


def build_ranking(
    header: MessageHeader, ranking: EventRanking, *, notes: tuple[str, ...] = ()
) -> bytes:
    """Build a DT_RANKING message: the final ranking of one event.

    Args:
        header: DocumentType `DT_RANKING`, DocumentCode the event RSC, and a ResultStatus.
        ranking: the event and its lines, in `SortOrder`.
        notes: `OdfBody/Note` texts, after `Competition`, in order.

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: header/payload mismatch, missing `gen`/`codes`,
            `odf_missing_result_status` when the header has no ResultStatus, or text with
            control characters (`odf_bad_text`).

    Rule source: ODF Foundation Principles (DT_RANKING); schema `resultType`.

    """
    return _ranked_message(header, "DT_RANKING", ranking.event, ranking.lines, notes)


@reports_bad_text
def build_invalidation(header: MessageHeader, *, notes: tuple[str, ...] = ()) -> bytes:
    """Build the message that invalidates an earlier one: its header, no `Competition`.

    ODF invalidates a document by sending its header again, with a higher Version and no
    `Competition`. The bundled schema allows it: `bodyType` declares `Competition` with
    `minOccurs="0"`, followed by optional `Note` elements, which carry `notes` (say why).
    `header.gen`, `.codes` and `.sport` are not written, since they live on `Competition`.

    Args:
        header: the invalidated document's header (same CompetitionCode, DocumentCode,
            DocumentSubcode, DocumentType, DocumentSubtype, FeedFlag) with a new Version.
        notes: `OdfBody/Note` texts, in order.

    Returns:
        UTF-8 XML with a declaration; it validates against the bundled SYOG2026 schema.

    Raises:
        InvalidOdfValueError: `odf_invalidation_of_first_version` when Version is 1 (there is
            no earlier message to invalidate), or `odf_bad_text`.

    Rule source: ODF Foundation Principles (message invalidation); schema `bodyType`.

    """
    if header.version < 2:
        msg = (
            f"an invalidation of {header.document_type} {header.document_code} needs a Version "
            f"above the invalidated message's, got {header.version}"
        )
        raise InvalidOdfValueError(msg, code="odf_invalidation_of_first_version")
    root = etree.Element("OdfBody", header_attributes(header))
    _write_notes(root, notes)
    return serialise(root)
