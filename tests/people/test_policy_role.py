"""The `organisation-registrar` role: reads back what it registers, only from the EU."""

from __future__ import annotations

import pytest

from podium.core.categories import DataCategory
from podium.privacy.policy import Effect, PolicyDecisionPoint, load_policy
from podium.privacy.regions import Region

PDP = PolicyDecisionPoint(load_policy())
ROLE = {"organisation-registrar"}
REGISTERED = ["identity", "birth-date", "document", "photo", "contact", "pseudonym"]


@pytest.mark.parametrize("category", REGISTERED)
def test_an_eu_registrar_reads_what_it_registers_for_accreditation(category: str) -> None:
    decision = PDP.decide(DataCategory(category), ROLE, "accreditation", Region.EU_EEA)
    assert (decision.effect, decision.reason) == (Effect.ALLOW, "eu-role-purpose")


@pytest.mark.parametrize("region", [Region.ADEQUACY, Region.THIRD_COUNTRY])
@pytest.mark.parametrize("category", REGISTERED)
def test_a_registrar_outside_the_eu_reads_nothing(category: str, region: Region) -> None:
    decision = PDP.decide(DataCategory(category), ROLE, "accreditation", region)
    assert (decision.effect, decision.reason) == (Effect.DENY, "outside-eu")


@pytest.mark.parametrize("category", ["vetting", "health", "payment", "credential"])
def test_a_registrar_never_sees_vetting_health_payment_or_secrets(category: str) -> None:
    decision = PDP.decide(DataCategory(category), ROLE, "accreditation", Region.EU_EEA)
    assert decision.effect is Effect.DENY


def test_a_registrar_has_no_other_purpose() -> None:
    decision = PDP.decide(DataCategory.IDENTITY, ROLE, "ticketing", Region.EU_EEA)
    assert decision.effect is Effect.DENY
