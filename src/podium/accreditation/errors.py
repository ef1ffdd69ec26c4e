"""Errors of the accreditation domain, each with a stable `code`.

PodiumError
├── InvalidInputError
│   ├── QuotaExceededError        quota_exceeded: the organisation holds its whole quota
│   ├── UnknownCategoryError      category_unknown: not a category of the access configuration
│   ├── TransitionError           accreditation_transition: a step the lifecycle forbids
│   │                             (also appeal_used, reason_required)
│   └── ZoneQueryError            zone_query_invalid: an unknown venue or zone was asked
├── NotFoundError
│   ├── OrganisationNotFoundError organisation_not_found
│   └── AccreditationNotFoundError accreditation_not_found
├── ConfigurationError
│   └── AccessConfigError         access_config_invalid: the access configuration file is wrong
└── PermissionDeniedError
    └── OrganisationScopeError    organisation_forbidden: another organisation's people
"""

from __future__ import annotations

from podium.core.errors import (
    ConfigurationError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)

__all__ = [
    "AccessConfigError",
    "AccreditationNotFoundError",
    "OrganisationNotFoundError",
    "OrganisationScopeError",
    "QuotaExceededError",
    "TransitionError",
    "UnknownCategoryError",
    "ZoneQueryError",
]


class QuotaExceededError(InvalidInputError):
    """Adding the accreditation would take the organisation over its category quota."""

    code = "quota_exceeded"


class UnknownCategoryError(InvalidInputError):
    """The category is not one of the access configuration."""

    code = "category_unknown"


class TransitionError(InvalidInputError):
    """The accreditation lifecycle forbids this step from the current status."""

    code = "accreditation_transition"


class ZoneQueryError(InvalidInputError):
    """An online zone check named a venue or a zone that the configuration does not know."""

    code = "zone_query_invalid"


class OrganisationNotFoundError(NotFoundError):
    """No responsible organisation has this code."""

    code = "organisation_not_found"


class AccreditationNotFoundError(NotFoundError):
    """No accreditation has this number."""

    code = "accreditation_not_found"


class AccessConfigError(ConfigurationError):
    """The access configuration file is invalid (the message names the file and the key)."""

    code = "access_config_invalid"


class OrganisationScopeError(PermissionDeniedError):
    """A responsible organisation's operator asked about another organisation's people."""

    code = "organisation_forbidden"
