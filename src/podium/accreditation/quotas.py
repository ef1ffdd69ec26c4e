"""Quotas of responsible organisations per accreditation category.

An organisation may hold at most its quota of accreditations of one category; refused
and revoked accreditations do not count (after the IOC's "entries by number": each NOC
and federation receives a number of accreditations per category). A category without a
quota row is unlimited.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from podium.accreditation.errors import QuotaExceededError
from podium.accreditation.models import Accreditation, AccreditationStatus, OrganisationQuota

__all__ = ["NOT_COUNTED", "check_quota", "held_count", "quota_allows", "quota_of"]

NOT_COUNTED = frozenset({AccreditationStatus.REFUSED.value, AccreditationStatus.REVOKED.value})
"""Statuses that do not hold a place of the quota."""


def quota_allows(quota: int | None, held: int, adding: int = 1) -> bool:
    """Whether `adding` more accreditations fit (pure rule).

    Args:
        quota: the organisation's quota for the category, or None for no quota.
        held: accreditations it holds now (not refused or revoked).
        adding: how many it asks to add (≥ 0).
    """
    return quota is None or held + adding <= quota


def quota_of(session: Session, organisation_code: str, category: str) -> int | None:
    """Return an organisation's quota for a category, or None when it has none."""
    return session.scalar(
        select(OrganisationQuota.quota).where(
            OrganisationQuota.organisation_code == organisation_code,
            OrganisationQuota.category == category,
        )
    )


def held_count(session: Session, organisation_code: str, category: str) -> int:
    """Count the accreditations of a category an organisation holds (not refused/revoked)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Accreditation)
            .where(
                Accreditation.organisation_code == organisation_code,
                Accreditation.category == category,
                Accreditation.status.not_in(NOT_COUNTED),
            )
        )
        or 0
    )


def check_quota(session: Session, organisation_code: str, category: str, adding: int = 1) -> None:
    """Refuse when `adding` accreditations would take an organisation over its quota.

    Args:
        session: a games-plane session (read only).
        organisation_code: the responsible organisation (`FRA`, `FIBA`).
        category: the accreditation category (`A`, `Aa`, ...).
        adding: how many accreditations the caller is about to add.

    Raises:
        QuotaExceededError: code `quota_exceeded`; the message names the organisation,
            the category, the quota and how many it holds.
    """
    quota = quota_of(session, organisation_code, category)
    if quota is None:
        return
    held = held_count(session, organisation_code, category)
    if not quota_allows(quota, held, adding):
        raise QuotaExceededError(
            f"organisation {organisation_code}: category {category} quota is {quota}, "
            f"it holds {held}; {adding} more would exceed it"
        )
