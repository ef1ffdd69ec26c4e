"""The authenticated API of the privacy spine: who am I, personal records, operators, audit.

Every route here needs an operator (`require_operator`/`require_scope`); personal
fields pass through the one policy decision point and every access is audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from podium.core.categories import DataCategory
from podium.people import Person, personal_record, subject_of
from podium.people.schemas import PersonalFieldPublic, PersonalRecordPublic
from podium.privacy.access import authorize
from podium.privacy.audit import ANCHOR_FILE, load_anchor, trusted_public_keys, verify
from podium.privacy.operators import (
    Operator,
    Principal,
    create_operator,
    disable_operator,
    list_operators,
)
from podium.privacy.register import is_restricted
from podium.privacy.schemas import (
    AuditProblemPublic,
    AuditVerificationPublic,
    OperatorCreate,
    OperatorPublic,
)
from podium.web.auth import CurrentOperator, SovereignSession, SpineDep, require_scope
from podium.web.deps import GamesSession

__all__ = ["operator_public", "router"]

router = APIRouter(prefix="/api", tags=["operators and personal data"])


PersonReader = Annotated[Principal, Depends(require_scope("people:person:read"))]
OperatorReader = Annotated[Principal, Depends(require_scope("privacy:operator:read"))]
OperatorWriter = Annotated[Principal, Depends(require_scope("privacy:operator:write"))]
AuditReader = Annotated[Principal, Depends(require_scope("privacy:audit:read"))]


def operator_public(operator: Operator) -> OperatorPublic:
    """Return the administrator's view of an account (no secret, no hash)."""
    return OperatorPublic(
        id=operator.id,
        username=operator.username,
        display_name=operator.display_name,
        home_country=operator.home_country,
        region=operator.region.value,
        organisation=operator.organisation,
        roles=operator.roles.split(),
        purposes=operator.purposes.split(),
        disabled_at=operator.disabled_at,
    )


@router.get("/me")
def get_me(principal: CurrentOperator) -> dict[str, object]:
    """Return the authenticated operator's own attributes and declared purpose."""
    return {
        "id": principal.operator_id,
        "username": principal.username,
        "display_name": principal.display_name,
        "region": principal.region.value,
        "roles": sorted(principal.roles),
        "purposes": sorted(principal.purposes),
        "purpose": principal.purpose,
        "scopes": None if principal.scopes is None else sorted(principal.scopes),
    }


@router.get("/people/{code}/personal")
def get_personal_record(
    code: str,
    principal: PersonReader,
    games: GamesSession,
    sovereign: SovereignSession,
    spine: SpineDep,
) -> PersonalRecordPublic:
    """Return a participant's personal record as the policy lets this operator see it.

    Each protected field comes back as its value, a pseudonym or null, with the policy's
    effect and reason; the read is audited whatever the outcome.
    """
    subject = subject_of(games, code)
    fields = personal_record(spine, sovereign, principal, subject)
    person = sovereign.get(Person, subject)
    return PersonalRecordPublic(
        code=code,
        subject_id=subject,
        organisation=person.organisation if person else None,
        function=person.function if person else None,
        restricted=is_restricted(sovereign, subject),
        fields={
            name: PersonalFieldPublic(value=f.value, effect=f.effect.value, reason=f.reason)
            for name, f in fields.items()
        },
    )


@router.get("/operators")
def get_operators(
    principal: OperatorReader, sovereign: SovereignSession, spine: SpineDep
) -> list[OperatorPublic]:
    """List operator accounts (administrators, purpose `security`)."""
    authorize(
        spine, sovereign, principal, category=DataCategory.OPERATOR, action="privacy.operator.list"
    )
    return [operator_public(o) for o in list_operators(sovereign)]


@router.post("/operators", status_code=201)
def post_operator(
    body: OperatorCreate, principal: OperatorWriter, sovereign: SovereignSession, spine: SpineDep
) -> OperatorPublic:
    """Create an operator account; roles and purposes must exist in the policy."""
    authorize(
        spine,
        sovereign,
        principal,
        category=DataCategory.OPERATOR,
        action="privacy.operator.create",
    )
    operator = create_operator(
        sovereign,
        username=body.username,
        display_name=body.display_name,
        home_country=body.home_country,
        organisation=body.organisation,
        roles=body.roles,
        purposes=body.purposes,
        known_roles=spine.pdp.roles,
        known_purposes=spine.pdp.purposes,
        password=body.password,
    )
    return operator_public(operator)


@router.post("/operators/{username}/disable")
def post_disable_operator(
    username: str, principal: OperatorWriter, sovereign: SovereignSession, spine: SpineDep
) -> OperatorPublic:
    """Disable an operator: sign-in refused, tokens revoked, sessions closed."""
    authorize(
        spine,
        sovereign,
        principal,
        category=DataCategory.OPERATOR,
        action="privacy.operator.disable",
    )
    return operator_public(disable_operator(sovereign, username))


@router.get("/audit/verify")
def get_audit_verification(
    principal: AuditReader, sovereign: SovereignSession, spine: SpineDep
) -> AuditVerificationPublic:
    """Verify the whole audit chain and its signed checkpoints (DPO, purpose `security`)."""
    authorize(
        spine, sovereign, principal, category=DataCategory.AUDIT, action="privacy.audit.verify"
    )
    report = verify(
        sovereign,
        trusted_public_keys(spine.key_dir),
        anchor=load_anchor(spine.key_dir / ANCHOR_FILE),
    )
    return AuditVerificationPublic(
        ok=report.ok,
        records=report.records,
        checkpoints=report.checkpoints,
        problems=[
            AuditProblemPublic(seq=p.seq, kind=p.kind, detail=p.detail) for p in report.problems
        ],
    )
