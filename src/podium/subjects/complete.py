"""Completing a data-subject request, optionally by running the action it asks for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from podium.core.clock import Clock, system_clock
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.privacy.spine import Spine
from podium.subjects.erasure import erase_subject
from podium.subjects.errors import RequestStateError
from podium.subjects.export import export_subject
from podium.subjects.render import write_export
from podium.subjects.requests import RequestView, close_request, request_kind
from podium.subjects.rights import rectify, restrict

__all__ = ["Completion", "complete_request"]


@dataclass(frozen=True)
class Completion:
    """How to complete a request.

    Attributes:
        outcome: what was done, in words; generated from the action when None.
        run: run the action the request asks for (erasure, access/portability export,
            rectification, restriction) before closing it.
        changes: for a rectification: field → new value.
        outdir: for an access or portability request: where the export files go.
        refused: close as refused (Art. 12(4)); `outcome` then says why.
        settings: the node's settings (retention shown in an export).

    """

    outcome: str | None = None
    run: bool = False
    changes: Mapping[str, str] = field(default_factory=dict)
    outdir: Path | None = None
    refused: bool = False
    settings: Settings | None = None


def _run(  # noqa: PLR0913 - the request, how, who, when
    planes: Planes,
    spine: Spine,
    request_id: str,
    how: Completion,
    *,
    operator: str,
    clock: Clock,
) -> str:
    subject, kind = request_kind(planes, request_id)
    if kind == "erasure":
        return erase_subject(planes, spine, subject, operator, request_id, clock=clock).summary()
    if kind in {"access", "portability"}:
        export = export_subject(
            planes, spine, subject, operator=operator, settings=how.settings, clock=clock
        )
        where = ""
        if how.outdir is not None:
            json_path, html_path = write_export(export, how.outdir)
            where = f": {json_path.name}, {html_path.name}"
        return f"export of {export.row_count()} rows in {len(export.tables)} tables{where}"
    if kind == "rectification":
        fields = rectify(planes, spine, subject, how.changes, operator, request_id=request_id)
        return f"rectified {', '.join(fields)}"
    if kind == "restriction":
        restrict(
            planes, spine, subject, how.outcome or f"request {request_id}", operator, clock=clock
        )
        return "processing restricted"
    raise RequestStateError(
        f"request {request_id} ({kind}) has no action to run: decide it and give an outcome",
        code="request_no_action",
    )


def complete_request(  # noqa: PLR0913 - the request, how, who, when
    planes: Planes,
    spine: Spine,
    request_id: str,
    how: Completion | None = None,
    *,
    operator: str = "system",
    clock: Clock = system_clock,
) -> RequestView:
    """Complete (or refuse) an open request, running its action first if asked.

    Args:
        planes: both planes.
        spine: the node's privacy services.
        request_id: `DSR-000001`.
        how: outcome text, whether to run the action, and its inputs.
        operator: who completes it.
        clock: the time of completion.

    Returns:
        The closed request.

    Raises:
        RequestNotFoundError: unknown id.
        RequestStateError: already closed, or no action for its kind (`request_no_action`).
        RectificationError, SubjectErasedError: from the action.

    Source: GDPR Art. 12(3), (4); Art. 15-18, 20.

    """
    how = how or Completion()
    outcome = how.outcome
    if how.run and not how.refused:
        done = _run(planes, spine, request_id, how, operator=operator, clock=clock)
        outcome = f"{outcome}: {done}" if outcome else done
    return close_request(
        planes,
        spine,
        request_id,
        outcome or ("refused" if how.refused else "completed"),
        refused=how.refused,
        operator=operator,
        clock=clock,
    )
