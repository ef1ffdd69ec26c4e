"""Responsible organisations and their quotas per accreditation category."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import delete
from sqlalchemy.orm import Session

from podium.accreditation.access import AccessConfig, default_access
from podium.accreditation.errors import OrganisationNotFoundError
from podium.accreditation.models import Organisation, OrganisationQuota
from podium.core.errors import InvalidInputError

__all__ = ["ORGANISATION_KINDS", "get_organisation", "save_organisation", "set_quotas"]

ORGANISATION_KINDS = frozenset({"noc", "if", "media", "workforce", "ocog", "partner", "other"})
"""The kinds of responsible organisation."""


def get_organisation(session: Session, code: str) -> Organisation:
    """Return an organisation.

    Raises:
        OrganisationNotFoundError: no organisation has this code.
    """
    found = session.get(Organisation, code)
    if found is None:
        raise OrganisationNotFoundError(f"no responsible organisation has the code {code!r}")
    return found


def save_organisation(session: Session, code: str, name: str, kind: str) -> Organisation:
    """Create an organisation, or update its name and kind (the caller commits).

    Args:
        session: a games-plane session.
        code: 2–12 upper-case letters or digits (`FRA`, `FIBA`, `PARIS2024`).
        name: full name.
        kind: one of `ORGANISATION_KINDS`.

    Raises:
        InvalidInputError: bad code or kind (code `organisation_invalid`).
    """
    if not (2 <= len(code) <= 12 and code.isalnum() and code.upper() == code):
        raise InvalidInputError(
            f"organisation code {code!r}: 2-12 upper-case letters or digits",
            code="organisation_invalid",
        )
    if kind not in ORGANISATION_KINDS:
        raise InvalidInputError(
            f"organisation {code}: kind {kind!r} is not one of {sorted(ORGANISATION_KINDS)}",
            code="organisation_invalid",
        )
    found = session.get(Organisation, code)
    if found is None:
        found = Organisation(code=code, name=name, kind=kind)
        session.add(found)
    else:
        found.name, found.kind = name, kind
    session.flush()
    return found


def set_quotas(
    session: Session,
    organisation_code: str,
    quotas: Mapping[str, int | None],
    access: AccessConfig | None = None,
) -> None:
    """Set an organisation's quotas per category (None removes a quota: unlimited).

    Args:
        session: a games-plane session (the caller commits).
        organisation_code: the organisation.
        quotas: category code → quota (≥ 0) or None.
        access: the access configuration; defaults to the bundled one.

    Raises:
        OrganisationNotFoundError: unknown organisation.
        UnknownCategoryError: a category is not in the access configuration.
        InvalidInputError: a negative quota (code `quota_invalid`).
    """
    config = access or default_access()
    get_organisation(session, organisation_code)
    for category, quota in quotas.items():
        config.category_of(category)
        if quota is not None and quota < 0:
            raise InvalidInputError(
                f"organisation {organisation_code}: quota of {category} must be ≥ 0",
                code="quota_invalid",
            )
    for category, quota in quotas.items():
        session.execute(
            delete(OrganisationQuota).where(
                OrganisationQuota.organisation_code == organisation_code,
                OrganisationQuota.category == category,
            )
        )
        if quota is not None:
            session.add(
                OrganisationQuota(
                    organisation_code=organisation_code, category=category, quota=quota
                )
            )
    session.flush()
