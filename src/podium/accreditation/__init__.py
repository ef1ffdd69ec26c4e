"""Accreditation: responsible organisations, quotas, lifecycle, vetting, credentials, cards.

Public surface for other domains and the faces (api, web, cli): the table models, the
access configuration, quotas and organisations, the lifecycle steps (vetting, refusal,
appeal, printing, validation, suspension, revocation), credentials, revocation lists,
device packages and the online zone decision, and the Paris 2024 population.
"""

from podium.accreditation.access import (
    DEFAULT_ACCESS_FILE,
    AccessConfig,
    CategoryAccess,
    Grant,
    default_access,
    load_access,
)
from podium.accreditation.authz import actor_id, organisation_limit
from podium.accreditation.context import Desk, keyring_folder, open_desk
from podium.accreditation.credentials import (
    LiveGateState,
    PublishedList,
    ZoneAnswer,
    card_body,
    check_zone,
    device_package,
    publish_revocations,
    revocation_delta,
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
from podium.accreditation.lifecycle import (
    AppealOutcome,
    appeal,
    print_cards,
    refuse,
    reinstate,
    revoke,
    suspend,
    validate,
)
from podium.accreditation.models import (
    Accreditation,
    AccreditationStatus,
    AccreditationStep,
    CredentialRevocation,
    Organisation,
    OrganisationQuota,
    RevocationList,
    VettingCase,
)
from podium.accreditation.organisations import (
    ORGANISATION_KINDS,
    get_organisation,
    save_organisation,
    set_quotas,
)
from podium.accreditation.population import (
    OCOG,
    ROLE_CATEGORIES,
    PopulationReport,
    accredit_participants,
)
from podium.accreditation.quotas import check_quota, held_count, quota_allows, quota_of
from podium.accreditation.rules import TRANSITIONS, Action, next_status, vetting_due
from podium.accreditation.service import Change
from podium.accreditation.vetting import (
    TIMEOUT_REASON,
    ManualVetting,
    Opinion,
    VettingAnswer,
    VettingConnector,
    expire_overdue_vetting,
    record_vetting,
    submit,
)

__all__ = [
    "DEFAULT_ACCESS_FILE",
    "OCOG",
    "ORGANISATION_KINDS",
    "ROLE_CATEGORIES",
    "TIMEOUT_REASON",
    "TRANSITIONS",
    "AccessConfig",
    "AccessConfigError",
    "Accreditation",
    "AccreditationNotFoundError",
    "AccreditationStatus",
    "AccreditationStep",
    "Action",
    "AppealOutcome",
    "CategoryAccess",
    "Change",
    "CredentialRevocation",
    "Desk",
    "Grant",
    "LiveGateState",
    "ManualVetting",
    "Opinion",
    "Organisation",
    "OrganisationNotFoundError",
    "OrganisationQuota",
    "OrganisationScopeError",
    "PopulationReport",
    "PublishedList",
    "QuotaExceededError",
    "RevocationList",
    "TransitionError",
    "UnknownCategoryError",
    "VettingAnswer",
    "VettingCase",
    "VettingConnector",
    "ZoneAnswer",
    "ZoneQueryError",
    "accredit_participants",
    "actor_id",
    "appeal",
    "card_body",
    "check_quota",
    "check_zone",
    "default_access",
    "device_package",
    "expire_overdue_vetting",
    "get_organisation",
    "held_count",
    "keyring_folder",
    "load_access",
    "next_status",
    "open_desk",
    "organisation_limit",
    "print_cards",
    "publish_revocations",
    "quota_allows",
    "quota_of",
    "record_vetting",
    "refuse",
    "reinstate",
    "revocation_delta",
    "revoke",
    "save_organisation",
    "set_quotas",
    "submit",
    "suspend",
    "validate",
    "vetting_due",
]
