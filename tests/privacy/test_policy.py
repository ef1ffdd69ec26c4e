"""The policy decision point: every reason code, default deny, validation, sovereignty."""

from __future__ import annotations

import itertools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.core.categories import CATALOG, DataCategory, Residency
from podium.core.errors import ConfigurationError
from podium.privacy.policy import (
    Decision,
    Effect,
    Policy,
    PolicyDecisionPoint,
    PolicyError,
    load_policy,
)
from podium.privacy.regions import Region

C = DataCategory
EU, ADEQUACY, THIRD = Region.EU_EEA, Region.ADEQUACY, Region.THIRD_COUNTRY
OUTSIDE = (ADEQUACY, THIRD)
SOVEREIGN = [c for c, rule in CATALOG.items() if rule.residency is Residency.EU_SOVEREIGN]
PERSONAL = [c for c, rule in CATALOG.items() if rule.personal]

BUNDLED = load_policy()
PDP = PolicyDecisionPoint(BUNDLED)


def allow(reason: str) -> Decision:
    return Decision(Effect.ALLOW, reason)


def pseudonymise(reason: str) -> Decision:
    return Decision(Effect.PSEUDONYMISE, reason)


def deny(reason: str) -> Decision:
    return Decision(Effect.DENY, reason)


# --- the bundled policy ------------------------------------------------------------------


def test_bundled_policy_is_package_data_read_through_importlib_resources() -> None:
    assert resources.files("podium.privacy").joinpath("policy.toml").is_file()


def test_bundled_policy_declares_the_committee_roles_and_purposes() -> None:
    assert {
        "admin",
        "dpo",
        "accreditation-officer",
        "vetting-officer",
        "ticketing-agent",
        "accessibility-coordinator",
        "results-manager",
        "support-engineer",
        "gate-staff",
        "entries-officer",
    } <= PDP.roles
    assert PDP.purposes >= {
        "access-control",
        "sport-entries",
        "accreditation",
        "vetting",
        "ticketing",
        "accessibility-services",
        "results",
        "data-subject-rights",
        "legal-claims",
        "operations",
        "security",
    }
    assert BUNDLED.restriction_exempt_purposes == {"data-subject-rights", "legal-claims"}
    for purpose in BUNDLED.purposes.values():
        assert "Art. 6(1)(" in purpose.lawful_basis


@pytest.mark.parametrize(
    ("category", "roles", "purpose", "region", "expected"),
    [
        (C.IDENTITY, {"accreditation-officer"}, "accreditation", EU, allow("eu-role-purpose")),
        (C.PHOTO, {"accreditation-officer"}, "accreditation", THIRD, deny("outside-eu")),
        (C.DOCUMENT, {"accreditation-officer"}, "accreditation", ADEQUACY, deny("outside-eu")),
        (C.VETTING, {"vetting-officer"}, "vetting", EU, allow("eu-role-purpose")),
        (C.BIRTH_DATE, {"entries-officer"}, "sport-entries", EU, allow("eu-role-purpose")),
        (C.BIRTH_DATE, {"organisation-registrar"}, "sport-entries", EU, allow("eu-role-purpose")),
        (C.BIRTH_DATE, {"entries-officer"}, "sport-entries", THIRD, deny("outside-eu")),
        (C.IDENTITY, {"entries-officer"}, "sport-entries", EU, deny("no-rule")),
        (C.DOCUMENT, {"entries-officer"}, "sport-entries", EU, deny("no-rule")),
        (C.PHOTO, {"organisation-registrar"}, "sport-entries", EU, deny("no-rule")),
        (C.PAYMENT, {"ticketing-agent"}, "ticketing", EU, allow("eu-role-purpose")),
        (C.PAYMENT, {"ticketing-agent"}, "ticketing", ADEQUACY, deny("outside-eu")),
        (
            C.HEALTH,
            {"accessibility-coordinator"},
            "accessibility-services",
            EU,
            allow("eu-role-purpose"),
        ),
        (C.HEALTH, {"dpo"}, "data-subject-rights", EU, allow("eu-role-purpose")),
        (C.HEALTH, {"dpo"}, "data-subject-rights", THIRD, deny("outside-eu")),
        (C.AUDIT, {"dpo"}, "security", EU, allow("eu-role-purpose")),
        (C.OPERATOR, {"admin"}, "security", EU, allow("eu-role-purpose")),
        (C.OPERATOR, {"admin"}, "security", THIRD, deny("outside-eu")),
        (C.PUBLISHED_IDENTITY, {"results-manager"}, "results", EU, allow("eu-role-purpose")),
        (
            C.PUBLISHED_IDENTITY,
            {"results-manager"},
            "results",
            THIRD,
            allow("published-or-pseudonymous"),
        ),
        (C.IDENTITY, {"results-manager"}, "results", ADEQUACY, pseudonymise("outside-eu")),
        (C.IDENTITY, {"support-engineer"}, "operations", THIRD, pseudonymise("outside-eu")),
        (C.CONTACT, {"support-engineer"}, "operations", ADEQUACY, pseudonymise("outside-eu")),
        (
            C.IDENTITY,
            {"support-engineer"},
            "operations",
            EU,
            pseudonymise("pseudonymised-for-role"),
        ),
        (
            C.PSEUDONYM,
            {"support-engineer"},
            "operations",
            THIRD,
            allow("published-or-pseudonymous"),
        ),
        (C.CREDENTIAL, {"dpo"}, "data-subject-rights", EU, deny("secret-never-shown")),
        (C.CREDENTIAL, {"admin"}, "security", EU, deny("secret-never-shown")),
        (C.COMPETITION, set(), "anything", THIRD, allow("not-personal")),
        (C.SYSTEM, {"nobody"}, "operations", ADEQUACY, allow("not-personal")),
        (C.HEALTH, {"accreditation-officer"}, "accreditation", EU, deny("no-rule")),
        (C.HEALTH, {"support-engineer"}, "operations", EU, deny("no-rule")),
        (C.IDENTITY, {"ticketing-agent"}, "accreditation", EU, deny("purpose-not-permitted")),
        (C.IDENTITY, {"admin"}, "accreditation", EU, deny("purpose-not-permitted")),
        (C.IDENTITY, {"dpo"}, "curiosity", EU, deny("purpose-not-permitted")),
    ],
)
def test_bundled_policy_decisions(
    category: DataCategory, roles: set[str], purpose: str, region: Region, expected: Decision
) -> None:
    assert PDP.decide(category, roles, purpose, region) == expected


def test_every_reason_of_the_bundled_policy_is_asserted_above() -> None:
    asserted = {
        "eu-role-purpose",
        "outside-eu",
        "published-or-pseudonymous",
        "pseudonymised-for-role",
        "secret-never-shown",
    }
    assert {rule.reason for rule in BUNDLED.rules} == asserted


def test_admin_sees_no_participant_or_spectator_data() -> None:
    for category, purpose in itertools.product(PERSONAL, PDP.purposes):
        if category is not C.OPERATOR:
            assert PDP.decide(category, {"admin"}, purpose, EU).effect is Effect.DENY


def test_gate_staff_see_no_personal_data_for_any_purpose_anywhere() -> None:
    for category, purpose, region in itertools.product(PERSONAL, PDP.purposes, Region):
        decision = PDP.decide(category, {"gate-staff"}, purpose, region)
        assert decision.effect is Effect.DENY, (category, purpose, region)


def test_a_session_for_access_control_sees_no_personal_data_whatever_its_roles() -> None:
    for category, region in itertools.product(PERSONAL, Region):
        assert PDP.decide(category, PDP.roles, "access-control", region).effect is Effect.DENY


def test_nobody_ever_sees_credentials() -> None:
    for purpose, region in itertools.product(PDP.purposes, Region):
        assert PDP.decide(C.CREDENTIAL, PDP.roles, purpose, region).effect is Effect.DENY


# --- default deny and what the decision point decides itself --------------------------------


@pytest.mark.parametrize("roles", [set(), {"intruder"}, ()])
def test_no_known_role_is_denied(roles: set[str]) -> None:
    decision = PDP.decide(C.IDENTITY, roles, "accreditation", EU)
    assert decision == deny("purpose-not-permitted")


def test_a_policy_without_rules_denies_all_personal_data() -> None:
    pdp = PolicyDecisionPoint(
        Policy.from_mapping({"roles": {"clerk": "a clerk"}, "purposes": {}, "rules": []})
    )
    for category, region in itertools.product(PERSONAL, Region):
        assert pdp.decide(category, {"clerk"}, "anything", region).effect is Effect.DENY


def test_restricted_subject_is_denied_for_ordinary_purposes() -> None:
    decision = PDP.decide(
        C.IDENTITY, {"accreditation-officer"}, "accreditation", EU, restricted=True
    )
    assert decision == deny("subject-restricted")


def test_restricted_subject_remains_reachable_for_the_exempt_purposes_of_art_18_2() -> None:
    decision = PDP.decide(C.IDENTITY, {"dpo"}, "data-subject-rights", EU, restricted=True)
    assert decision == allow("eu-role-purpose")
    decision = PDP.decide(C.IDENTITY, {"legal-counsel"}, "legal-claims", EU, restricted=True)
    assert decision == allow("eu-role-purpose")


def test_restriction_does_not_apply_to_non_personal_data() -> None:
    assert PDP.decide(C.COMPETITION, set(), "results", EU, restricted=True) == allow("not-personal")


def test_a_single_string_is_one_role_not_its_letters() -> None:
    assert PDP.decide(C.IDENTITY, "dpo", "data-subject-rights", EU) == allow("eu-role-purpose")


def test_a_generator_of_roles_is_read_once() -> None:
    roles = (r for r in ["ticketing-agent", "intruder"])
    assert PDP.decide(C.IDENTITY, roles, "accreditation", EU) == deny("purpose-not-permitted")


# --- several roles: the most permissive wins ------------------------------------------------

_BASE = """
restriction_exempt_purposes = ["claims"]

[roles]
a = "role a"
b = "role b"
c = "role c"

[purposes.work]
description = "work"
lawful_basis = "Art. 6(1)(b): contract."

[purposes.claims]
description = "claims"
lawful_basis = "Art. 6(1)(f): legitimate interest."
"""


_RULE_DEFAULTS = {
    "categories": '["identity"]',
    "roles": '["a"]',
    "purposes": '["work"]',
    "regions": '["eu-eea"]',
    "effect": '"allow"',
    "reason": '"granted"',
}


def _rule(extra: str = "", **fields: str) -> str:
    """Return one [[rules]] entry; string values of effect and reason are quoted here."""
    values = {
        **_RULE_DEFAULTS,
        **{k: f'"{v}"' if k in {"effect", "reason"} else v for k, v in fields.items()},
    }
    body = "".join(f"{key} = {value}\n" for key, value in values.items())
    return f"\n[[rules]]\n{body}{extra}"


def _write(tmp_path: Path, *rules: str, base: str = _BASE) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(base + "".join(rules), encoding="utf-8")
    return path


def test_most_permissive_role_wins_whatever_the_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _rule(roles='["a"]', effect="deny", reason="a-denied"),
        _rule(roles='["b"]', effect="pseudonymise", reason="b-masked"),
        _rule(roles='["c"]', effect="allow", reason="c-granted"),
    )
    pdp = PolicyDecisionPoint(load_policy(path))
    for roles in itertools.permutations(["a", "b", "c"]):
        assert pdp.decide(C.IDENTITY, list(roles), "work", EU) == allow("c-granted")
    for roles in itertools.permutations(["a", "b"]):
        assert pdp.decide(C.IDENTITY, frozenset(roles), "work", EU) == pseudonymise("b-masked")
    assert pdp.decide(C.IDENTITY, ["a"], "work", EU) == deny("a-denied")


def test_equal_effects_from_two_roles_give_the_same_reason_in_any_order(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _rule(roles='["a"]', reason="zeta"),
        _rule(roles='["b"]', reason="alpha"),
    )
    pdp = PolicyDecisionPoint(load_policy(path))
    assert pdp.decide(C.IDENTITY, ["a", "b"], "work", EU) == allow("alpha")
    assert pdp.decide(C.IDENTITY, ["b", "a"], "work", EU) == allow("alpha")


def test_decide_fields_decides_each_field_by_its_category() -> None:
    fields = {"family_name": C.IDENTITY, "email": C.CONTACT, "medal": C.COMPETITION}
    decisions = PDP.decide_fields(fields, iter(["support-engineer"]), "operations", THIRD)
    assert decisions == {
        "family_name": pseudonymise("outside-eu"),
        "email": pseudonymise("outside-eu"),
        "medal": allow("not-personal"),
    }


# --- validation: each refused case names file, rule index, line and field ---------------------


def _refused(path: Path) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    error = caught.value
    assert error.code == "policy_invalid"
    assert isinstance(error, ConfigurationError)
    assert str(path) in str(error)
    return error


def _line_of_second_rule(path: Path) -> int:
    lines = path.read_text().splitlines()
    return [n for n, line in enumerate(lines, start=1) if line == "[[rules]]"][1]


@pytest.mark.parametrize(
    ("bad_rule", "field", "words"),
    [
        (_rule(categories='["identity", "dna"]'), "categories[1]", "'dna'"),
        (_rule(regions='["eu-eea", "mars"]'), "regions[1]", "'mars'"),
        (_rule(effect="maybe"), "effect", "'maybe'"),
        (_rule(roles='["a", "ghost"]'), "roles", "unknown role 'ghost'"),
        (_rule(purposes='["fun"]'), "purposes", "unknown purpose 'fun'"),
        (_rule(extra='efect = "allow"\n'), "efect", "Extra inputs"),
        (_rule(categories='["competition"]'), "categories", "'competition' is not personal"),
        (_rule(reason="no-rule"), "reason", "set by the decision point"),
        (_rule(reason="Not A Code"), "reason", "should match pattern"),
        (_rule(roles="[]"), "roles", "at least 1"),
        (
            _rule(categories='["pseudonym", "health"]', regions='["eu-eea", "adequacy"]'),
            "regions",
            "EU-sovereign category 'health' to region 'adequacy'",
        ),
        (
            _rule(categories='["photo"]', regions='["third-country"]'),
            "regions",
            "sovereignty invariant",
        ),
        (_rule(effect="deny"), "effect", "already decided by rules[0]"),
        (_rule(reason="other"), "reason", "already decided by rules[0]"),
    ],
)
def test_a_bad_second_rule_is_refused_naming_rule_line_and_field(
    tmp_path: Path, bad_rule: str, field: str, words: str
) -> None:
    path = _write(tmp_path, _rule(), bad_rule)
    error = _refused(path)
    message = str(error)
    assert f"rules[1] (line {_line_of_second_rule(path)}), field {field}:" in message
    assert words in message
    assert error.rule == 1
    assert error.field == field


def test_conflict_names_both_rules(tmp_path: Path) -> None:
    path = _write(tmp_path, _rule(), _rule(categories='["contact", "identity"]', effect="deny"))
    message = str(_refused(path))
    assert "('identity', 'a', 'work', 'eu-eea') is already decided by rules[0] (line" in message
    assert "allow/granted; this rule says deny/granted" in message


def test_identical_overlapping_rules_are_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path, _rule(), _rule(categories='["contact", "identity"]'))
    assert PolicyDecisionPoint(load_policy(path)).decide(C.IDENTITY, ["a"], "work", EU) == allow(
        "granted"
    )


def test_sovereign_data_may_be_pseudonymised_or_denied_outside_the_eu(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _rule(regions='["adequacy"]', effect="pseudonymise", reason="masked"),
        _rule(regions='["third-country"]', effect="deny", reason="far"),
        _rule(categories='["pseudonym", "published-identity"]', regions='["third-country"]'),
    )
    pdp = PolicyDecisionPoint(load_policy(path))
    assert pdp.decide(C.IDENTITY, ["a"], "work", ADEQUACY) == pseudonymise("masked")
    assert pdp.decide(C.PSEUDONYM, ["a"], "work", THIRD) == allow("granted")


@pytest.mark.parametrize(
    ("base", "words"),
    [
        (_BASE + 'owner = "me"\n', "owner: Extra inputs are not permitted"),
        (_BASE.replace('"claims"]', '"gossip"]'), "unknown purpose 'gossip'"),
        (_BASE.replace('"Art. 6(1)(b): contract."', '"because"'), "purposes.work.lawful_basis"),
        (_BASE.replace('a = "role a"', 'A = "role a"'), "roles.A"),
        (_BASE.replace("[purposes.work]", "[purposes.work]\nowner = 1"), "purposes.work.owner"),
    ],
)
def test_bad_roles_and_purposes_are_refused_naming_the_key(
    tmp_path: Path, base: str, words: str
) -> None:
    path = _write(tmp_path, _rule(), base=base)
    assert words in str(_refused(path))


def test_a_file_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("[roles\n", encoding="utf-8")
    assert "not valid TOML" in str(_refused(path))


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert "cannot read" in str(_refused(tmp_path / "absent.toml"))


def test_a_missing_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[roles]\na = "a"\n', encoding="utf-8")
    assert "purposes: Field required" in str(_refused(path))


def test_policy_built_directly_is_checked_too() -> None:
    with pytest.raises(PolicyError, match="sovereignty invariant"):
        Policy.model_validate(
            tomllib.loads(_BASE + _rule(regions='["third-country"]', reason="leak"))
        )


# --- the sovereignty invariant, for every possible decision ---------------------------------

ROLE_NAMES = [*sorted(PDP.roles), "intruder"]
PURPOSE_NAMES = [*sorted(PDP.purposes), "curiosity"]


def _never_allows_sovereign_data_outside_the_eu(pdp: PolicyDecisionPoint, roles: list[str]) -> None:
    purposes = [*sorted(pdp.purposes), "curiosity"]
    subsets = [set(s) for n in range(len(roles) + 1) for s in itertools.combinations(roles, n)]
    for category, held, purpose, region, restricted in itertools.product(
        SOVEREIGN, subsets, purposes, OUTSIDE, (False, True)
    ):
        decision = pdp.decide(category, held, purpose, region, restricted=restricted)
        assert decision.effect is not Effect.ALLOW, (category, held, purpose, region)


def test_bundled_policy_never_allows_sovereign_data_outside_the_eu_exhaustively() -> None:
    _never_allows_sovereign_data_outside_the_eu(PDP, sorted(PDP.roles))


@given(
    category=st.sampled_from(list(DataCategory)),
    roles=st.frozensets(st.sampled_from(ROLE_NAMES)),
    purpose=st.sampled_from(PURPOSE_NAMES),
    region=st.sampled_from(list(Region)),
    restricted=st.booleans(),
)
def test_bundled_policy_never_allows_sovereign_data_outside_the_eu(
    category: DataCategory,
    roles: frozenset[str],
    purpose: str,
    region: Region,
    restricted: bool,
) -> None:
    decision = PDP.decide(category, roles, purpose, region, restricted=restricted)
    if region is not EU and CATALOG[category].residency is Residency.EU_SOVEREIGN:
        assert decision.effect is not Effect.ALLOW


_RULES = st.lists(
    st.fixed_dictionaries(
        {
            "categories": st.lists(st.sampled_from(PERSONAL), min_size=1, max_size=4),
            "roles": st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3),
            "purposes": st.lists(st.sampled_from(["work", "claims"]), min_size=1, max_size=2),
            "regions": st.lists(st.sampled_from(list(Region)), min_size=1, max_size=3),
            "effect": st.sampled_from(list(Effect)),
            "reason": st.sampled_from(["r-one", "r-two"]),
        }
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(rules=_RULES)
def test_any_policy_the_loader_accepts_never_allows_sovereign_data_outside_the_eu(
    rules: list[dict[str, Any]],
) -> None:
    data = tomllib.loads(_BASE)
    data["rules"] = [
        {
            **rule,
            "categories": [c.value for c in rule["categories"]],
            "regions": [r.value for r in rule["regions"]],
        }
        for rule in rules
    ]
    leaks = any(
        rule["effect"] is Effect.ALLOW
        and any(r is not EU for r in rule["regions"])
        and any(CATALOG[c].residency is Residency.EU_SOVEREIGN for c in rule["categories"])
        for rule in rules
    )
    result = _load_or_error(data)
    if isinstance(result, PolicyError):
        assert result.code == "policy_invalid"
        assert leaks or "already decided" in str(result)
        return
    assert not leaks
    _never_allows_sovereign_data_outside_the_eu(PolicyDecisionPoint(result), ["a", "b", "c"])


def _load_or_error(data: dict[str, Any]) -> Policy | PolicyError:
    try:
        return Policy.from_mapping(data, source="generated")
    except PolicyError as error:
        return error


# --- [role_scopes]: what a staff sign-in session may do on the routes -----------------------


def _with_role_scopes(tmp_path: Path, table: str) -> Path:
    return _write(
        tmp_path, _rule(), base=_BASE.replace("\n[purposes.work]", table + "\n[purposes.work]")
    )


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ('\n[role_scopes]\nz = ["people:person:read"]\n', "unknown role 'z'"),
        ('\n[role_scopes]\na = ["people:person:fly"]\n', "unknown scope 'people:person:fly'"),
        ('\n[role_scopes]\na = ["results:ath:write"]\n', "unknown scope 'results:ath:write'"),
    ],
)
def test_role_scopes_naming_an_unknown_role_or_scope_are_refused(
    tmp_path: Path, table: str, words: str
) -> None:
    error = _refused(_with_role_scopes(tmp_path, table))
    key = table.split("\n")[2].split(" ", maxsplit=1)[0]
    assert error.field == f"role_scopes.{key}"
    assert f"role_scopes.{key}" in str(error)
    assert words in str(error)


def test_role_scopes_grant_the_union_of_the_roles_scopes(tmp_path: Path) -> None:
    table = '\n[role_scopes]\na = ["people:person:read"]\nb = ["entries:entry:read"]\n'
    pdp = PolicyDecisionPoint(load_policy(_with_role_scopes(tmp_path, table)))
    assert pdp.session_scopes(["a", "b"]) == {"people:person:read", "entries:entry:read"}
    assert pdp.session_scopes(["c", "unknown"]) == frozenset()
    assert pdp.roles_granting("entries:entry:read") == {"b"}


def test_the_bundled_role_scopes_keep_admin_and_gate_staff_away_from_personal_data() -> None:
    assert "people:person:read" not in PDP.session_scopes(["admin", "gate-staff"])
    assert PDP.session_scopes(["gate-staff"]) == {"gates:device:scan", "accreditation:zone:check"}
    assert PDP.roles_granting("ticketing:order:write") == {"ticketing-agent"}
