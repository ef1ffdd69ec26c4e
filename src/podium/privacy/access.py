"""The policy enforcement point: every read of a protected field goes through here.

For each field the policy decision point (`policy`) decides allow, pseudonymise or
deny; allowed values are decrypted (`fields`), pseudonymised ones replaced by a keyed
pseudonym (`pseudonyms.value_pseudonym`), denied ones withheld; and one audit record
per decision is appended in the caller's transaction (`audit`), so a read that is not
audited cannot happen. GDPR Art. 5(1)(f), Art. 25 (data protection by design), Art. 32.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from podium.core.categories import DataCategory
from podium.core.errors import PermissionDeniedError
from podium.privacy.audit import AuditEntry
from podium.privacy.errors import KeyDestroyedError
from podium.privacy.operators import Principal
from podium.privacy.policy import Decision, Effect
from podium.privacy.pseudonyms import value_pseudonym
from podium.privacy.spine import Spine

__all__ = ["FieldValue", "SealedField", "authorize", "read_fields", "record_write"]


@dataclass(frozen=True, slots=True)
class SealedField:
    """A protected field as stored: its category and its ciphertext.

    Attributes:
        category: the column's data category.
        sealed: the AES-GCM token from `FieldCipher.seal`, or None for no value.

    """

    category: DataCategory
    sealed: bytes | None


@dataclass(frozen=True, slots=True)
class FieldValue:
    """What an operator receives for one field.

    Attributes:
        value: the plain value (allow), a `pseudonym:…` string (pseudonymise) or None.
        effect: the policy's effect.
        reason: the policy's reason code (`eu-role-purpose`, `outside-eu`, `no-rule`…).

    """

    value: str | None
    effect: Effect
    reason: str


def _purpose_decision(principal: Principal, purpose: str | None) -> Decision | None:
    if purpose is None:
        return Decision(Effect.DENY, "purpose-missing")
    if purpose not in principal.purposes:
        return Decision(Effect.DENY, "purpose-not-permitted")
    return None


def read_fields(  # noqa: PLR0913 - the inputs of one access decision
    spine: Spine,
    session: Session,
    principal: Principal,
    *,
    action: str,
    subject: str,
    fields: Mapping[str, SealedField],
    restricted: bool = False,
) -> dict[str, FieldValue]:
    """Decide, decrypt or pseudonymise, and audit a read of a subject's protected fields.

    Args:
        spine: the node's privacy services.
        session: a sovereign-plane session; the audit records join its transaction.
        principal: the operator reading; `principal.purpose` is the declared purpose.
        action: the audited action, `domain.entity.action` (`people.person.read`).
        subject: the subject ID (pseudonym) whose fields are read.
        fields: field name → stored field.
        restricted: whether the subject obtained restriction of processing (Art. 18).

    Returns:
        Field name → what the operator may see.

    """
    purpose = principal.purpose
    blocked = _purpose_decision(principal, purpose)
    result: dict[str, FieldValue] = {}
    by_decision: dict[Decision, list[str]] = {}
    for name, field in fields.items():
        decision = blocked or spine.pdp.decide(
            field.category, principal.roles, purpose or "", principal.region, restricted=restricted
        )
        value: str | None = None
        if decision.effect is Effect.ALLOW:
            try:
                value = spine.cipher.open(subject, field.category.value, name, field.sealed)
            except KeyDestroyedError:
                decision = Decision(Effect.DENY, "erased")
        elif decision.effect is Effect.PSEUDONYMISE and field.sealed is not None:
            value = value_pseudonym(spine.pseudonym_key, subject, name)
        result[name] = FieldValue(value, decision.effect, decision.reason)
        by_decision.setdefault(decision, []).append(name)
    spine.audit.append(
        session,
        [
            AuditEntry(
                operator=principal.operator_id,
                action=action,
                subject=subject,
                fields=tuple(sorted(names)),
                purpose=purpose,
                decision=decision.effect.value,
                reason=decision.reason,
            )
            for decision, names in by_decision.items()
        ],
    )
    return result


def record_write(  # noqa: PLR0913 - the inputs of one audited write
    spine: Spine,
    session: Session,
    *,
    operator: str,
    action: str,
    subject: str | None,
    fields: tuple[str, ...],
    purpose: str | None,
    decision: str = "write",
    reason: str | None = None,
) -> None:
    """Audit a write of personal data (import, rectification, erasure…) in the transaction.

    Args:
        spine: the node's privacy services.
        session: the sovereign-plane session doing the write.
        operator: operator account id, or `system` for a command run on the host.
        action: `domain.entity.action`.
        subject: the subject ID written, if one.
        fields: names of the fields written.
        purpose: the purpose of the write.
        decision: `write`, `erase`, `restrict`…
        reason: a reason code or the request it fulfils.
    """
    spine.audit.append(
        session,
        [AuditEntry(operator, action, subject, tuple(sorted(fields)), purpose, decision, reason)],
    )


def authorize(  # noqa: PLR0913 - the inputs of one access decision
    spine: Spine,
    session: Session,
    principal: Principal,
    *,
    category: DataCategory,
    action: str,
    subject: str | None = None,
) -> Decision:
    """Admit an operator to a whole action on personal data of one category, or refuse.

    Used where an action handles records as a whole (listing operators, verifying the
    audit log, exporting or erasing a subject) rather than field by field. The decision,
    allow or deny, is audited in the caller's transaction either way.

    Args:
        spine: the node's privacy services.
        session: a sovereign-plane session.
        principal: the operator, with the declared purpose.
        category: the data category the action touches.
        action: `domain.entity.action`.
        subject: the subject ID concerned, if one.

    Returns:
        The allowing decision.

    Raises:
        PermissionDeniedError: the policy does not allow it (code `policy_denied`; the
            message carries the reason code). Only a full ALLOW admits: a pseudonymised
            answer makes no sense for a whole action.
    """
    decision = _purpose_decision(principal, principal.purpose) or spine.pdp.decide(
        category, principal.roles, principal.purpose or "", principal.region
    )
    allowed = decision.effect is Effect.ALLOW
    entry = AuditEntry(
        operator=principal.operator_id,
        action=action,
        subject=subject,
        fields=(),
        purpose=principal.purpose,
        decision="allow" if allowed else "deny",
        reason=decision.reason,
    )
    if allowed:
        spine.audit.append(session, [entry])
        return decision
    # The refusal makes the caller's transaction roll back, so its audit record is
    # committed in a transaction of its own: every denial stays on the record.
    with Session(bind=session.get_bind()) as own, own.begin():
        spine.audit.append(own, [entry])
    raise PermissionDeniedError(
        f"the access policy does not allow {action} for this operator ({decision.reason})",
        code="policy_denied",
    )
