"""The catalog check, the link check and the records of processing."""

from __future__ import annotations

import json

from sqlalchemy import Column, MetaData, String, Table

from podium.core.categories import CATALOG, DataCategory, Plane
from podium.core.settings import Settings
from podium.migrations.metadata import metadata_of
from podium.privacy.policy import load_policy
from podium.subjects import catalog_problems, records_of_processing, ropa_markdown
from podium.subjects.locate import unlinked_personal_tables


def test_the_catalog_and_both_planes_have_no_problem() -> None:
    assert catalog_problems() == []


def test_every_table_with_personal_data_links_rows_to_subjects() -> None:
    for plane in Plane:
        assert unlinked_personal_tables(metadata_of(plane)) == []


def test_a_personal_table_without_a_link_is_caught() -> None:
    metadata = MetaData(info={"plane": Plane.SOVEREIGN})
    Table(
        "ticket_holder",
        metadata,
        Column("id", String, primary_key=True, info={"category": DataCategory.SYSTEM}),
        Column("email", String, info={"category": DataCategory.CONTACT, "sealed": True}),
    )
    (problem,) = unlinked_personal_tables(metadata)
    assert problem.startswith("ticket_holder: personal columns email")


def test_the_records_of_processing_name_every_category_and_purpose() -> None:
    policy = load_policy()
    ropa = records_of_processing(policy, Settings(retention_days={"health": 14}))
    text = ropa_markdown(ropa)
    for category in DataCategory:
        assert f"| {category.value} |" in text
    for purpose in policy.purposes:
        assert f"| {purpose} |" in text
    assert "Art. 30(1)(e)" in text
    assert "None." in text
    health = next(c for c in ropa.categories if c.category == "health")
    assert health.retention_days == 14
    assert health.kept_until == "2024-09-22"
    person = next(c for c in ropa.categories if c.category == "identity")
    assert "sovereign.person.full_name" in person.columns
    data = json.loads(json.dumps(ropa.to_json()))
    assert {c["category"] for c in data["categories"]} == {c.value for c in CATALOG}
    assert any("Argon2id" in m for m in data["security"])


def test_the_records_never_show_a_protected_category_received_outside_the_eu() -> None:
    ropa = records_of_processing(load_policy(), Settings())
    protected = {c.value for c, rule in CATALOG.items() if rule.residency.value == "eu-sovereign"}
    seen = 0
    for recipient in ropa.recipients:
        for entry in recipient.categories:
            category, _, regions = entry.partition(" (")
            if category in protected:
                seen += 1
                assert regions == "eu-eea)", f"{recipient.role}: {entry}"
    assert seen > 10
    results = next(r for r in ropa.recipients if r.role == "results-manager")
    assert "identity (eu-eea)" in results.categories
    assert "published-identity (adequacy, eu-eea, third-country)" in results.categories


def test_the_controller_is_the_configured_one_in_the_records() -> None:
    settings = Settings(
        controller="Paris 2024 Organising Committee", dpo_contact="dpo@paris2024.example"
    )
    text = ropa_markdown(records_of_processing(load_policy(), settings))
    assert "Controller: Paris 2024 Organising Committee of OG2024" in text
    assert "dpo@paris2024.example" in text
