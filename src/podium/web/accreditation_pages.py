"""Pages of accreditation: the accreditation desk and the organisation portal (staff, EN/FR).

The routes are in `accreditation_desk` (search, lists, one accreditation, card PDFs),
`accreditation_steps` (the lifecycle forms and the batch print) and `accreditation_portal`
(an organisation's people, quotas and registrations); `accreditation_support` has what
they share (languages, rendering, the route class, the desk's services).
"""

from __future__ import annotations

from fastapi import APIRouter

from podium.web import accreditation_desk, accreditation_portal, accreditation_steps

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.include_router(accreditation_steps.router)
router.include_router(accreditation_desk.router)
router.include_router(accreditation_portal.router)
