"""What Podium must tell a data subject and write in its records of processing.

Derived, never written twice: purposes and lawful bases and recipients come from the
access policy, retention from the catalog with the node's overrides, categories from the
catalog. Used by the subject access export (GDPR Art. 15(1), Art. 13-14) and the records
of processing (Art. 30(1)).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from podium.core.categories import CATALOG, DataCategory
from podium.core.settings import Settings
from podium.privacy.policy import Effect, Policy

__all__ = [
    "RIGHTS",
    "SECURITY_MEASURES",
    "SOURCES",
    "PurposeInfo",
    "Recipient",
    "controller_of",
    "expiry_of",
    "purposes_of",
    "recipients_of",
    "retention_of",
]

RIGHTS: tuple[str, ...] = (
    "Art. 15: access to your personal data and to this information",
    "Art. 16: rectification of inaccurate data",
    "Art. 17: erasure, except published results and records kept by legal obligation",
    "Art. 18: restriction of processing",
    "Art. 20: portability (this export's JSON file)",
    "Art. 21: objection to processing based on Art. 6(1)(e) or (f)",
    "Art. 77: complaint to a supervisory authority (in France, the CNIL)",
)
"""The data subject's rights, stated in every export (Art. 15(1)(e), (f))."""

SOURCES: dict[str, str] = {
    "participant": "Paris 2024 official results / accreditation data",
    "operator": "the operator account created by the organising committee's administrator",
}
"""Where the data came from when not from the subject (Art. 15(1)(g), Art. 14(2)(f))."""

SECURITY_MEASURES: tuple[str, ...] = (
    (
        "Two planes: personal data only in the sovereign database on an EU host; the games "
        "database (any cloud) holds pseudonymous subject IDs and published data only."
    ),
    (
        "Protected fields sealed with AES-256-GCM under one data key per subject and "
        "category, wrapped by a master key (RFC 3394); erasure destroys the keys "
        "(crypto-shredding), which also makes database copies and backups unreadable."
    ),
    "The key store lives apart from both databases (its own volume on the sovereign host).",
    "Operator passwords and API-token secrets stored as Argon2id hashes (RFC 9106).",
    (
        "Every access to personal data is decided by one policy (roles, purposes, operator "
        "region; no clear EU-sovereign data outside the EU/EEA) and written to a hash-chained "
        "audit log sealed by Ed25519 checkpoints (RFC 8032)."
    ),
)
"""Technical and organisational measures (Art. 32), for the records of processing."""


@dataclass(frozen=True, slots=True)
class PurposeInfo:
    """A purpose of processing with its lawful basis (Art. 5(1)(b), Art. 6).

    Attributes:
        name: the policy's purpose name.
        description: what it is for.
        lawful_basis: the Art. 6(1) basis (and Art. 9(2) condition) it rests on.

    """

    name: str
    description: str
    lawful_basis: str


@dataclass(frozen=True, slots=True)
class Recipient:
    """A role that may receive personal data, where and which (Art. 15(1)(c), 30(1)(d)).

    Attributes:
        role: the policy's role name.
        description: who holds it.
        regions: every region where the role receives some category in clear.
        categories: each category it receives in clear, with the regions where it does,
            e.g. `identity (eu-eea)`, `published-identity (adequacy, eu-eea, third-country)`:
            an EU-sovereign category only ever shows `eu-eea` (the policy's invariant).
        pseudonymised: the categories it receives pseudonymised only.

    """

    role: str
    description: str
    regions: tuple[str, ...]
    categories: tuple[str, ...]
    pseudonymised: tuple[str, ...]


def controller_of(settings: Settings) -> str:
    """Return the controller as exports and records of processing name it (Art. 30(1)(a))."""
    return (
        f"{settings.controller} of {settings.games_code} (node {settings.source});"
        f" contact: {settings.dpo_contact}"
    )


def purposes_of(policy: Policy) -> list[PurposeInfo]:
    """Return the policy's purposes with their lawful bases, sorted by name."""
    return [
        PurposeInfo(name, purpose.description, purpose.lawful_basis)
        for name, purpose in sorted(policy.purposes.items())
    ]


def recipients_of(policy: Policy) -> list[Recipient]:
    """Return each role of the policy with the regions and categories it receives.

    Args:
        policy: the validated access policy.

    Returns:
        One entry per role, sorted by name; a role the policy grants nothing has no
        regions and no categories.

    Source: GDPR Art. 15(1)(c) and Art. 30(1)(d): recipients or categories of recipients.

    """
    recipients: list[Recipient] = []
    for role, description in sorted(policy.roles.items()):
        regions: set[str] = set()
        clear: dict[str, set[str]] = {}
        pseudo: set[str] = set()
        for rule in policy.rules:
            if role not in rule.roles:
                continue
            if rule.effect is Effect.ALLOW:
                regions.update(r.value for r in rule.regions)
                for category in rule.categories:
                    clear.setdefault(category.value, set()).update(r.value for r in rule.regions)
            elif rule.effect is Effect.PSEUDONYMISE:
                pseudo.update(c.value for c in rule.categories)
        recipients.append(
            Recipient(
                role,
                description,
                tuple(sorted(regions)),
                tuple(f"{c} ({', '.join(sorted(r))})" for c, r in sorted(clear.items())),
                tuple(sorted(pseudo - set(clear))),
            )
        )
    return recipients


def retention_of(category: DataCategory, overrides: Mapping[str, int]) -> int | None:
    """Return the retention period of a category in days after the Games, or None.

    Args:
        category: the data category.
        overrides: `Settings.retention_days` (category value → days).

    Returns:
        The override if one is set, else the catalog's period; None keeps the data as an
        archive (published results, pseudonyms) or has no period.

    Source: GDPR Art. 5(1)(e) storage limitation; Art. 13(2)(a), 15(1)(d).

    """
    return overrides.get(category.value, CATALOG[category].retention_days)


def expiry_of(category: DataCategory, overrides: Mapping[str, int], games_end: date) -> date | None:
    """Return the last day data of a category may be kept, or None without a period.

    Args:
        category: the data category.
        overrides: `Settings.retention_days`.
        games_end: `Settings.games_end`, the day retention periods run from.

    """
    days = retention_of(category, overrides)
    return None if days is None else games_end + timedelta(days=days)
