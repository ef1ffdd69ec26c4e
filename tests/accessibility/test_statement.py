"""The accessibility statement computed from crafted audits, and its page in English and French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from podium.accessibility.statement import (
    Audit,
    Conformance,
    LimitKind,
    StatementData,
    StatementDataError,
    build_statement,
    bundled_statement,
    conformance_of,
    load_audit,
    load_statement_data,
    rates_of,
)
from podium.cli.main import app
from podium.core.settings import Settings
from podium.web import router


def _page(  # noqa: PLR0913 - one page's results, each list as axe-core gives it
    url: str,
    passed: tuple[str, ...],
    violated: tuple[str, ...] = (),
    incomplete: tuple[str, ...] = (),
    *,
    lang: str = "en",
    reflow: bool = True,
) -> dict[str, object]:
    return {
        "pattern": url.replace("/en/", "/{lang:podium_lang}/"),
        "lang": lang,
        "url": url,
        "who": "anonymous",
        "counts": {"passed": len(passed), "violated": len(violated), "incomplete": len(incomplete)},
        "passed": passed,
        "incomplete": incomplete,
        "violations": [
            {"rule": rule, "impact": "serious", "help": f"{rule} must hold", "nodes": 1}
            for rule in violated
        ],
        "reflow_320": reflow,
        "text_200": True,
    }


def _audit(*pages: dict[str, object]) -> Audit:
    return Audit.model_validate(
        {
            "audited_on": "2025-01-15",
            "axe_core": "4.12.1",
            "chromium": "131.0.6778.85",
            "axe_tags": ["wcag2a", "wcag2aa"],
            "pages": pages,
        }
    )


NO_LIMITS = StatementData(contact="a11y@podium.example")


def _state(audit: Audit) -> Conformance:
    return build_statement(audit, NO_LIMITS, None).conformance


def test_every_check_met_is_fully_compliant() -> None:
    audit = _audit(_page("/en/", ("image-alt", "label")), _page("/en/medals", ("label",)))
    rates = rates_of(audit)
    assert rates.global_rate == 1
    assert rates.mean_rate == 1
    assert _state(audit) is Conformance.FULL
    assert Conformance.FULL.words("fr") == "totalement conforme"
    assert Conformance.FULL.words("en") == "fully compliant"


def test_sixty_percent_is_partially_compliant() -> None:
    # Met: image-alt and the two layout checks; not met: label, list. 3 / 5.
    audit = _audit(_page("/en/", ("image-alt",), ("label", "list")))
    assert rates_of(audit).global_rate == pytest.approx(0.6)
    assert _state(audit) is Conformance.PARTIAL
    assert Conformance.PARTIAL.words("fr") == "partiellement conforme"


def test_forty_percent_is_not_compliant() -> None:
    # Met: the two layout checks; not met: label, list, region. 2 / 5.
    audit = _audit(_page("/en/", (), ("label", "list", "region")))
    assert rates_of(audit).global_rate == pytest.approx(0.4)
    assert _state(audit) is Conformance.NONE
    assert Conformance.NONE.words("fr") == "non conforme"


def test_a_known_non_conformity_keeps_a_full_audit_partially_compliant() -> None:
    audit = _audit(_page("/en/", ("image-alt", "label")))
    data = load_statement_data()
    assert any(limit.kind is LimitKind.NON_CONFORMITY for limit in data.limits)
    statement = build_statement(audit, data, None)
    assert statement.rates is not None
    assert statement.rates.global_rate == 1
    assert statement.conformance is Conformance.PARTIAL


def test_the_thresholds_are_the_rgaa_ones() -> None:
    assert conformance_of(1.0) is Conformance.FULL
    assert conformance_of(0.999) is Conformance.PARTIAL
    assert conformance_of(0.5) is Conformance.PARTIAL
    assert conformance_of(0.499) is Conformance.NONE
    assert conformance_of(None) is Conformance.NONE  # no audit: not compliant


def test_a_rule_failed_on_one_page_is_not_met_for_the_whole_sample() -> None:
    # Each page fails a different rule: each page is at 4/5, but neither rule holds
    # on the whole sample, as RGAA counts a criterion failed on any page as not met.
    audit = _audit(
        _page("/en/", ("label", "list"), ("region",)),
        _page("/en/medals", ("label", "region"), ("list",)),
    )
    rates = rates_of(audit)
    assert [r.rate for r in rates.pages] == [pytest.approx(0.8), pytest.approx(0.8)]
    assert rates.mean_rate == pytest.approx(0.8)
    assert rates.non_conformant == ("list", "region")
    assert rates.conformant == ("label", "reflow-320", "text-200")
    assert rates.global_rate == pytest.approx(3 / 5)


def test_undecided_rules_count_neither_way_and_a_reflow_failure_counts_as_not_met() -> None:
    audit = _audit(_page("/en/", ("label",), incomplete=("color-contrast",), reflow=False))
    rates = rates_of(audit)
    assert rates.conformant == ("label", "text-200")
    assert rates.non_conformant == ("reflow-320",)
    statement = build_statement(audit, load_statement_data(), None)
    assert [(f.rule, f.pages) for f in statement.failures] == [
        ("reflow-320", (("/{lang:podium_lang}/", "en", "/en/"),))
    ]


def test_counts_that_differ_from_the_rule_lists_are_refused() -> None:
    page = _page("/en/", ("label",))
    page["counts"] = {"passed": 2, "violated": 0, "incomplete": 0}
    with pytest.raises(ValueError, match="counts"):
        _audit(page)


def test_a_page_listed_twice_is_refused_with_the_file_named(tmp_path: Path) -> None:
    page = _page("/en/", ("label",))
    raw = {**_audit(page).model_dump(mode="json"), "pages": [page, page]}
    (tmp_path / "audit.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(StatementDataError, match=r"audit\.json: .*listed twice"):
        load_audit(tmp_path / "audit.json")


def test_a_broken_statement_file_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "statement.toml"
    path.write_text('contact = "a@b.example"\n[[limit]]\nkind = "nope"\nwhere = "/"\n')
    with pytest.raises(StatementDataError, match=r"statement\.toml: limit\.0\.kind"):
        load_statement_data(path)


def test_the_hand_written_limits_are_in_both_languages() -> None:
    data = load_statement_data()
    tactile = next(limit for limit in data.limits if "tactile" in limit.where)
    assert "JavaScript" in tactile.text("en")
    assert "JavaScript" in tactile.text("fr")
    assert any("espeak-ng" in limit.text("fr") for limit in data.limits)


def test_the_node_sets_the_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PODIUM_ACCESSIBILITY_CONTACT", "https://podium.example/contact")
    statement = bundled_statement(Settings().accessibility_contact)
    assert statement.contact == "https://podium.example/contact"
    assert statement.contact_href == "https://podium.example/contact"
    monkeypatch.delenv("PODIUM_ACCESSIBILITY_CONTACT")
    default = bundled_statement(Settings().accessibility_contact)
    assert default.contact_href == f"mailto:{load_statement_data().contact}"


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    app.state.settings = Settings()
    return TestClient(app)


def test_the_statement_page_in_english(client: TestClient) -> None:
    response = client.get("/en/accessibility")
    assert response.status_code == 200
    html = response.text
    assert '<html lang="en">' in html
    assert "<h1>Accessibility statement</h1>" in html
    state = bundled_statement().conformance
    assert f'{state.words("en")} (<span lang="fr">{state.words("fr")}</span>)' in html
    assert "RGAA" in html
    assert "article 47" in html
    assert '<span lang="fr">Défenseur des droits</span>' in html
    assert "Libre réponse 71120, 75342 Paris CEDEX 07" in html
    assert "not a manual audit of the 106 criteria" in html
    assert 'href="/en/accessibility" aria-current="page"' in html  # the footer link


def test_the_statement_page_in_french(client: TestClient) -> None:
    html = client.get("/fr/accessibility").text
    assert '<html lang="fr">' in html
    assert "<h1>Déclaration d’accessibilité</h1>" in html
    assert f"Ce site est {bundled_statement().conformance.words('fr')} avec" in html
    assert "État de conformité" in html
    assert "Contenus non accessibles" in html
    assert "Voies de recours" in html
    assert "au Défenseur des droits" in html
    assert "La page de la tablette tactile ne suit le ballon" in html


def test_every_page_links_to_the_statement(client: TestClient) -> None:
    html = client.get("/fr/no/such/page").text
    assert '<a href="/fr/accessibility">Déclaration d’accessibilité</a>' in html


def test_the_command_prints_the_statement_as_markdown_in_french(tmp_path: Path) -> None:
    audit = _audit(_page("/en/", ("label",), ("list", "region")), _page("/en/nocs", ("label",)))
    (tmp_path / "audit.json").write_text(audit.model_dump_json(), encoding="utf-8")
    command = [
        "accessibility",
        "statement",
        "--lang",
        "fr",
        "--audit",
        str(tmp_path / "audit.json"),
    ]
    result = CliRunner().invoke(app, command)
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("# Déclaration d’accessibilité\n")
    assert "Ce site est partiellement conforme avec le référentiel" in text
    assert "taux global : 3 contrôles respectés, 2 non respectés" in text  # label + layout
    assert "- Contrôle automatisé list non respecté : list must hold (pages : /en/)" in text
    assert "- `/en/nocs` (fr)" not in text  # the crafted pages are English ones
    assert "Libre réponse 71120" in text


def test_the_command_refuses_a_broken_audit(tmp_path: Path) -> None:
    (tmp_path / "audit.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["accessibility", "statement", "--audit", str(tmp_path / "audit.json")]
    )
    assert result.exit_code == 2
    assert "statement_data_invalid" in result.output
