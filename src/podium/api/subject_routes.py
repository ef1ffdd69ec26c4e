"""The data protection officer's API: subject export and the requests register.

Each route needs its scope and then the policy's ALLOW for the DPO's purpose
(`authorize`), which is audited either way; the actions themselves audit what they read
and write (GDPR Art. 5(2), Art. 12(3), Art. 15, Art. 20).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from podium.core.categories import DataCategory
from podium.core.db import Planes
from podium.privacy.access import authorize
from podium.privacy.operators import Principal
from podium.subjects import export_subject, list_requests
from podium.web.auth import SpineDep, require_scope
from podium.web.deps import now_of

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["data-subject rights"])

Exporter = Annotated[Principal, Depends(require_scope("subjects:subject:export"))]
RequestReader = Annotated[Principal, Depends(require_scope("subjects:request:read"))]


def _planes(request: Request) -> Planes:
    planes: Planes = request.app.state.planes
    return planes


@router.get("/subjects/{subject}/export")
def get_subject_export(
    subject: str, principal: Exporter, request: Request, spine: SpineDep
) -> dict[str, Any]:
    """Return everything Podium holds on a subject (participant code or subject ID).

    The portable, machine-readable export of GDPR Art. 15 and 20; EU DPO with purpose
    `data-subject-rights` only.
    """
    planes = _planes(request)
    with planes.sovereign_session() as session:
        authorize(
            spine,
            session,
            principal,
            category=DataCategory.IDENTITY,
            action="subjects.subject.export",
        )
    export = export_subject(
        planes,
        spine,
        subject,
        operator=principal.operator_id,
        purpose=principal.purpose or "data-subject-rights",
        settings=request.app.state.settings,
    )
    return export.to_json()


@router.get("/subject-requests")
def get_subject_requests(
    principal: RequestReader, request: Request, spine: SpineDep, *, open_only: bool = False
) -> list[dict[str, Any]]:
    """List data-subject requests with their Art. 12(3) deadlines and days left."""
    planes = _planes(request)
    with planes.sovereign_session() as session:
        authorize(
            spine,
            session,
            principal,
            category=DataCategory.AUDIT,
            action="subjects.request.list",
        )
    today: date = now_of(request).date()
    return [
        {
            "id": view.id,
            "subject_id": view.subject_id,
            "kind": view.kind,
            "status": view.status,
            "received_on": view.received_on.isoformat(),
            "deadline": view.deadline.isoformat(),
            "extended": view.extended,
            "days_left": view.days_left,
            "overdue": view.overdue,
            "outcome": view.outcome,
        }
        for view in list_requests(planes, today, open_only=open_only)
    ]
