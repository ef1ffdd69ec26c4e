"""Accreditation: responsible organisations, quotas, lifecycle, vetting, credentials, cards.

Public surface for other domains and the faces (api, web, cli): the table models, the
access configuration, quotas and organisations (more below as the lifecycle lands).
"""

from podium.accreditation.access import (
    DEFAULT_ACCESS_FILE,
    AccessConfig,
    CategoryAccess,
    Grant,
    default_access,
    load_access,
)
from podium.accreditation.errors import (
    AccessConfigError,
    AccreditationNotFoundError,
    OrganisationNotFoundError,
    OrganisationScopeError,
    QuotaExceededError,
    TransitionError,
    UnknownCategoryError,
    ZoneQueryError,
)
from podium.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    Organisation,
    OrganisationQuota,
)
from podium.accreditation.organisations import (
    ORGANISATION_KINDS,
    get_organisation,
    save_organisation,
    set_quotas,
)
from podium.accreditation.quotas import check_quota, held_count, quota_allows, quota_of

__all__ = [
    "DEFAULT_ACCESS_FILE",
    "ORGANISATION_KINDS",
    "AccessConfig",
    "AccessConfigError",
    "Accreditation",
    "AccreditationNotFoundError",
    "AccreditationStatus",
    "AccreditationStep",
    "CategoryAccess",
    "Grant",
    "Organisation",
    "OrganisationNotFoundError",
    "OrganisationQuota",
    "OrganisationScopeError",
    "QuotaExceededError",
    "TransitionError",
    "UnknownCategoryError",
    "ZoneQueryError",
    "check_quota",
    "default_access",
    "get_organisation",
    "held_count",
    "load_access",
    "quota_allows",
    "quota_of",
    "save_organisation",
    "set_quotas",
]
