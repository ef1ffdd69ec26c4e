"""Operator accounts of the test node: EU staff with the right roles, and staff outside the EU.

`create_test_operators` adds them to a node's sovereign plane and returns, per name, the
operator's API token (every scope) and password. Names say what each is for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from podium.core.db import Planes
from podium.privacy.operators import SCOPES, create_operator, issue_token
from podium.privacy.spine import Spine

PASSWORD = "correct horse battery staple"  # noqa: S105 - a test account's password


@dataclass(frozen=True)
class TestOperator:
    """One test account: its sign-in name, purpose to declare, and API token."""

    __test__ = False  # not a test class, whatever pytest's name rule says

    username: str
    purpose: str
    token: str
    country: str


# username → (country, organisation, roles, purposes, the purpose its requests declare)
ACCOUNTS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], str]] = {
    "eu-admin": ("FR", "PARIS2024", ("admin",), ("security",), "security"),
    "eu-dpo": (
        "DE",
        "PARIS2024",
        ("dpo",),
        ("data-subject-rights", "security"),
        "data-subject-rights",
    ),
    "eu-accreditation": (
        "FR",
        "PARIS2024",
        ("accreditation-officer",),
        ("accreditation",),
        "accreditation",
    ),
    "us-support": ("US", "CLOUDPARTNER", ("support-engineer",), ("operations",), "operations"),
}


def create_test_operators(planes: Planes, spine: Spine) -> dict[str, TestOperator]:
    """Create the test operators, plus `in-everything` and `ch-everything`.

    Those two hold every role and every purpose of the policy with a home outside the
    EU/EEA (India: third country; Switzerland: adequacy decision): the strongest non-EU
    operators there can be, for the sovereignty test.
    """
    roles, purposes = tuple(sorted(spine.pdp.roles)), tuple(sorted(spine.pdp.purposes))
    accounts = dict(ACCOUNTS)
    accounts["in-everything"] = ("IN", "OFFSHORE", roles, purposes, "data-subject-rights")
    accounts["ch-everything"] = ("CH", "SWISSCLOUD", roles, purposes, "accreditation")
    made: dict[str, TestOperator] = {}
    with planes.sovereign_session() as session:
        for username, (country, organisation, role, purpose, declared) in accounts.items():
            create_operator(
                session,
                username=username,
                display_name=username.replace("-", " ").title(),
                home_country=country,
                organisation=organisation,
                roles=role,
                purposes=purpose,
                known_roles=spine.pdp.roles,
                known_purposes=spine.pdp.purposes,
                password=PASSWORD,
            )
            token = issue_token(
                session, username, list(SCOPES), name="tests", lifetime=timedelta(days=1)
            )
            made[username] = TestOperator(username, declared, token, country)
    return made
