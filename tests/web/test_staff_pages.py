"""The staff pages over the imported node: sign-in, CSRF, authorisation and personal data.

Each page must authorise as its JSON twin in `podium.api.privacy_routes` does; the EU
accreditation officer sees a real athlete's birth date, operators outside the EU/EEA never do.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.operators import PASSWORD, TestOperator

from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.paris2024 import ImportReport
from podium.people import Participant
from podium.privacy.audit import AuditRecord
from podium.privacy.spine import Spine
from podium.subjects import register_request
from podium.web.staff_support import safe_next

ATHLETE = "LYLES Noah"
OUTSIDERS = ("us-support", "in-everything", "ch-everything")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture(scope="session")
def planes(imported: tuple[Planes, ImportReport, Path]) -> Planes:
    """The root conftest's imported node (whose keys the spine holds), not the pages' own."""
    return imported[0]


@pytest.fixture(scope="module")
def app(node_settings: Settings, planes: Planes, spine: Spine) -> FastAPI:
    return create_app(node_settings, planes, spine)


@contextmanager
def browser(app: FastAPI) -> Iterator[TestClient]:
    """A client with its own cookie jar, that does not follow redirects."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, username: str, purpose: str = "") -> str:
    """Sign in and return the session's CSRF token (read from the dashboard)."""
    response = client.post(
        "/staff/login", data={"username": username, "password": PASSWORD, "purpose": purpose}
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/staff/").text)


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match is not None
    return match.group(1)


def audit_actions(planes: Planes, action: str) -> list[AuditRecord]:
    with planes.sovereign_session() as session:
        query = select(AuditRecord).where(AuditRecord.action == action)
        return list(session.scalars(query.order_by(AuditRecord.seq)))


@pytest.fixture(scope="module")
def athlete(planes: Planes) -> str:
    with planes.games_session() as session:
        code = session.scalar(select(Participant.code).where(Participant.printed_name == ATHLETE))
    assert code is not None
    return code


def _staff_gets(app: FastAPI) -> list[str]:
    # A language segment only matches a language (`LANG_PATH`); any other parameter gets X.
    paths = {
        re.sub(r"\{[^}]+\}", "X", re.sub(r"\{lang:podium_lang\}", "en", route.path))
        for route in iter_route_contexts(app.routes)
        if route.path and route.path.startswith("/staff") and "GET" in (route.methods or ())
    }
    return sorted(paths - {"/staff/login"})


def test_every_staff_page_sends_a_signed_out_visitor_to_the_sign_in(app: FastAPI) -> None:
    paths = _staff_gets(app)
    assert {"/staff/", "/staff/operators", "/staff/audit", "/staff/requests"} <= set(paths)
    with browser(app) as client:
        for path in paths:
            response = client.get(path, params={"q": "1"})
            assert response.status_code == 303, path
            location = urlsplit(response.headers["location"])
            assert location.path == "/staff/login"
            assert parse_qs(location.query)["next"] == [f"{path}?q=1"]
        for path in ("/staff/logout", "/staff/purpose", "/staff/operators"):
            assert client.post(path, data={"csrf": "x"}).status_code == 303, path


def test_sign_in_sets_a_strict_http_only_cookie_and_sign_out_ends_the_session(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    with browser(app) as client:
        form = client.get("/staff/login")
        assert form.status_code == 200
        assert '<html lang="en">' in form.text
        assert 'for="f-username"' in form.text
        assert 'for="f-password"' in form.text
        response = client.post(
            "/staff/login",
            data={"username": "eu-admin", "password": PASSWORD, "purpose": "security"},
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/staff/"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith("podium_session=")
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie
        assert "Path=/" in cookie
        assert "Secure" not in cookie  # the test node is plain HTTP (secure_cookies=False)
        dashboard = client.get("/staff/")
        assert dashboard.status_code == 200
        assert "Eu Admin" in dashboard.text
        assert "EU/EEA" in dashboard.text
        assert dashboard.headers["cache-control"] == "no-store"
        token = csrf_of(dashboard.text)
        out = client.post("/staff/logout", data={"csrf": token})
        assert out.status_code == 303
        assert out.headers["location"] == "/staff/login"
        assert 'podium_session=""' in out.headers["set-cookie"]
        assert client.get("/staff/").status_code == 303
    assert audit_actions(app.state.planes, "privacy.session.open")


def test_the_cookie_is_secure_on_a_node_that_serves_https(
    node_settings: Settings, planes: Planes, spine: Spine, operators: dict[str, TestOperator]
) -> None:
    secure = create_app(node_settings.model_copy(update={"secure_cookies": True}), planes, spine)
    with browser(secure) as client:
        response = client.post("/staff/login", data={"username": "eu-dpo", "password": PASSWORD})
        assert response.status_code == 303
        assert "Secure" in response.headers["set-cookie"]


def test_a_wrong_password_is_refused_with_one_message_and_audited(
    app: FastAPI, planes: Planes, operators: dict[str, TestOperator]
) -> None:
    before = len(audit_actions(planes, "privacy.session.refused"))
    with browser(app) as client:
        wrong = client.post("/staff/login", data={"username": "eu-admin", "password": "nope"})
        unknown = client.post("/staff/login", data={"username": "nobody", "password": PASSWORD})
        for response in (wrong, unknown):
            assert response.status_code == 401
            assert "set-cookie" not in response.headers
            assert "Unknown username or wrong password." in response.text
            assert 'aria-describedby="f-username-error"' in response.text
            assert 'aria-invalid="true"' in response.text
    refused = audit_actions(planes, "privacy.session.refused")[before:]
    assert [(r.operator, r.decision, r.reason) for r in refused] == [
        ("anonymous", "deny", "bad-credentials")
    ] * 2


def test_a_purpose_the_account_may_not_declare_is_refused_after_the_password(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    with browser(app) as client:
        response = client.post(
            "/staff/login",
            data={"username": "eu-admin", "password": PASSWORD, "purpose": "accreditation"},
        )
        assert response.status_code == 403
        assert "set-cookie" not in response.headers
        assert 'aria-describedby="f-purpose-hint f-purpose-error"' in response.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/staff/operators?x=1", "/staff/operators?x=1"),
        ("/staff", "/staff"),
        ("https://evil.example/staff/", "/staff/"),
        ("//evil.example/staff/", "/staff/"),
        ("/\\evil.example", "/staff/"),
        ("/staffevil", "/staff/"),
        ("/en/medals", "/staff/"),
        ("/staff/\r\nSet-Cookie: x=1", "/staff/"),
        ("", "/staff/"),
    ],
)
def test_next_only_leads_to_a_local_staff_page(target: str, expected: str) -> None:
    assert safe_next(target) == expected


def test_sign_in_goes_on_to_next_but_never_to_another_site(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    for target, expected in (
        ("/staff/audit", "/staff/audit"),
        ("https://evil.example/", "/staff/"),
    ):
        with browser(app) as client:
            response = client.post(
                "/staff/login",
                data={"username": "eu-dpo", "password": PASSWORD, "next": target},
            )
            assert response.headers["location"] == expected


def test_forms_without_the_session_token_or_from_another_site_are_refused(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    with browser(app) as client:
        token = sign_in(client, "eu-admin", "security")
        for data in ({}, {"csrf": "wrong"}, {"csrf": token[:-1]}):
            response = client.post("/staff/logout", data=data)
            assert response.status_code == 403
            assert "text/html" in response.headers["content-type"]
        foreign = client.post(
            "/staff/logout", data={"csrf": token}, headers={"Origin": "https://evil.example"}
        )
        assert foreign.status_code == 403
        assert client.get("/staff/").status_code == 200  # still signed in
    with browser(app) as client:
        login = client.post(
            "/staff/login",
            data={"username": "eu-admin", "password": PASSWORD},
            headers={"Origin": "https://evil.example"},
        )
        assert login.status_code == 403
        assert "set-cookie" not in login.headers


def test_the_purpose_is_changed_on_the_dashboard_only_to_one_of_the_accounts(
    app: FastAPI, planes: Planes, operators: dict[str, TestOperator]
) -> None:
    with browser(app) as client:
        token = sign_in(client, "eu-dpo")
        assert "no purpose declared" in client.get("/staff/").text
        bad = client.post("/staff/purpose", data={"csrf": token, "purpose": "ticketing"})
        assert bad.status_code == 422
        assert 'id="f-purpose-error"' in bad.text
        good = client.post("/staff/purpose", data={"csrf": token, "purpose": "security"})
        assert good.status_code == 303
        assert "purpose <strong>security</strong>" in client.get("/staff/").text
    assert audit_actions(planes, "privacy.session.purpose")[-1].purpose == "security"


def test_an_administrator_creates_and_disables_an_operator(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    account = {
        "username": "eu-results-temp",
        "display_name": "Results Temp",
        "home_country": "BE",
        "organisation": "PARIS2024",
        "password": PASSWORD,
        "roles": ["results-manager"],
        "purposes": ["results"],
    }
    with browser(app) as admin:
        token = sign_in(admin, "eu-admin", "security")
        page = admin.get("/staff/operators")
        assert page.status_code == 200
        assert "<caption" in page.text
        assert "argon2" not in page.text.lower()
        created = admin.post("/staff/operators", data={**account, "csrf": token})
        assert created.status_code == 303, created.text
        assert "Account eu-results-temp created." in admin.get(created.headers["location"]).text
        with browser(app) as newcomer:
            sign_in(newcomer, "eu-results-temp", "results")
            disabled = admin.post("/staff/operators/eu-results-temp/disable", data={"csrf": token})
            assert disabled.status_code == 303
            assert newcomer.get("/staff/").status_code == 303  # its session was closed
        listing = admin.get("/staff/operators").text
        row = listing[listing.index('<th scope="row">eu-results-temp</th>') :]
        assert "disabled 20" in row[: row.index("</tr>")]


def test_a_bad_field_of_the_create_form_is_shown_next_to_it(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    with browser(app) as admin:
        token = sign_in(admin, "eu-admin", "security")
        cases = {
            "username": {"username": "Bad Name!", "home_country": "FR"},
            "home_country": {"username": "fine-name", "home_country": "ZZ"},
            "password": {"username": "fine-name", "home_country": "FR", "password": "short"},
        }
        for field, data in cases.items():
            response = admin.post("/staff/operators", data={**data, "csrf": token})
            assert response.status_code == 422, field
            assert f'id="f-{field}-error"' in response.text
            assert re.search(
                rf'id="f-{field}"[^>]*aria-describedby="[^"]*f-{field}-error', response.text
            )
            assert f'href="#f-{field}"' in response.text  # the error summary links to it


# The DPO may manage accounts too (policy: category operator for dpo, data-subject-rights).
@pytest.mark.parametrize("username", ["eu-accreditation", *OUTSIDERS])
def test_operators_without_an_eu_role_over_accounts_are_refused_the_operators_page(
    app: FastAPI, operators: dict[str, TestOperator], username: str
) -> None:
    with browser(app) as client:
        token = sign_in(client, username, operators[username].purpose)
        page = client.get("/staff/operators")
        assert page.status_code == 403
        assert "text/html" in page.headers["content-type"]
        # an accreditation officer's roles grant no privacy:operator:read ([role_scopes]);
        # the outsiders' do, and the policy refuses them the operator data
        refusal_text = (
            "privacy:operator:read" if username == "eu-accreditation" else "privacy.operator.list"
        )
        assert refusal_text in page.text
        create = client.post(
            "/staff/operators", data={"csrf": token, "username": "x-y", "home_country": "FR"}
        )
        assert create.status_code == 403
        disable = client.post("/staff/operators/eu-admin/disable", data={"csrf": token})
        assert disable.status_code == 403
    refusal = audit_actions(app.state.planes, "privacy.operator.disable")[-1]
    assert (refusal.operator, refusal.decision) == (
        _operator_id(app.state.planes, username),
        "deny",
    )
    with browser(app) as admin:
        sign_in(admin, "eu-admin", "security")
        assert "<td>active</td>" in admin.get("/staff/operators").text.split("eu-admin</th>")[1]


def test_the_eu_accreditation_officer_sees_the_birth_date_the_api_gives(
    app: FastAPI, operators: dict[str, TestOperator], athlete: str
) -> None:
    officer = operators["eu-accreditation"]
    with browser(app) as client:
        api = client.get(
            f"/api/people/{athlete}/personal",
            headers={
                "Authorization": f"Bearer {officer.token}",
                "X-Podium-Purpose": "accreditation",
            },
        ).json()["fields"]
        birth = api["birth_date"]["value"]
        assert birth
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth)
        sign_in(client, "eu-accreditation", "accreditation")
        search = client.get("/staff/people", params={"code": f" {athlete} "})
        assert search.headers["location"] == f"/staff/people/{athlete}"
        page = client.get(f"/staff/people/{athlete}")
        assert page.status_code == 200
        assert ATHLETE in page.text
        assert f"<td>{birth}</td>" in page.text
        assert f"<td>{api['full_name']['value']}</td>" in page.text


@pytest.mark.parametrize("username", OUTSIDERS)
def test_operators_outside_the_eu_never_see_the_birth_date(
    app: FastAPI,
    planes: Planes,
    operators: dict[str, TestOperator],
    athlete: str,
    username: str,
) -> None:
    officer = operators["eu-accreditation"]
    with browser(app) as client:
        birth = client.get(
            f"/api/people/{athlete}/personal",
            headers={
                "Authorization": f"Bearer {officer.token}",
                "X-Podium-Purpose": "accreditation",
            },
        ).json()["fields"]["birth_date"]["value"]
        operator = operators[username]
        sign_in(client, username)
        purposes = [
            operator.purpose,
            *sorted(set(re.findall(r'name="purpose" value="([^"]+)"', client.get("/staff/").text))),
        ]
        for purpose in purposes:
            token = csrf_of(client.get("/staff/").text)
            client.post("/staff/purpose", data={"csrf": token, "purpose": purpose})
            page = client.get(f"/staff/people/{athlete}")
            assert page.status_code == 200
            assert birth not in page.text
            assert birth.replace("-", "") not in page.text
            assert re.search(r"<td>(pseudonymised|withheld)", page.text)
    with planes.sovereign_session() as session:
        reads = session.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "people.person.read",
                AuditRecord.operator == _operator_id(planes, username),
            )
        ).all()
    assert reads
    assert {r.decision for r in reads} <= {"pseudonymise", "deny"}


def _operator_id(planes: Planes, username: str) -> str:
    from podium.privacy.operators import find_operator  # noqa: PLC0415

    with planes.sovereign_session() as session:
        return find_operator(session, username).id


def test_an_unknown_participant_is_the_staff_404_page(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    with browser(app) as client:
        sign_in(client, "eu-accreditation", "accreditation")
        response = client.get("/staff/people/NOPE")
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"]
        empty = client.get("/staff/people", params={"code": ""})
        assert empty.status_code == 422
        assert 'id="f-code-error"' in empty.text


def test_the_dpo_verifies_the_audit_log_and_the_administrator_may_not(
    app: FastAPI, operators: dict[str, TestOperator]
) -> None:
    with browser(app) as dpo:
        sign_in(dpo, "eu-dpo", "security")
        page = dpo.get("/staff/audit")
        assert page.status_code == 200
        assert "Verified: no problem found." in page.text
        assert "Records verified" in page.text
    with browser(app) as admin:
        sign_in(admin, "eu-admin", "security")
        refused = admin.get("/staff/audit")
        assert refused.status_code == 403
        assert "privacy:audit:read" in refused.text  # admin's roles do not grant the scope


def test_the_requests_register_marks_overdue_requests_in_words(
    app: FastAPI,
    planes: Planes,
    spine: Spine,
    operators: dict[str, TestOperator],
    athlete: str,
) -> None:
    old = register_request(
        planes, spine, athlete, "access", clock=lambda: datetime(2024, 9, 2, 9, tzinfo=UTC)
    )
    new = register_request(planes, spine, athlete, "rectification")
    with browser(app) as dpo:
        sign_in(dpo, "eu-dpo", "data-subject-rights")
        page = dpo.get("/staff/requests")
        assert page.status_code == 200
        text = page.text
        assert "<caption" in text
        old_row = text[text.index(f">{old.id}<") :].split("</tr>")[0]
        new_row = text[text.index(f">{new.id}<") :].split("</tr>")[0]
        assert "Overdue</strong> by" in old_row
        assert "2024-10-02" in old_row  # one month after receipt (Art. 12(3))
        assert "Overdue" not in new_row
        assert text.index(f">{old.id}<") < text.index(f">{new.id}<")
    with browser(app) as support:
        sign_in(support, "us-support", "operations")
        assert support.get("/staff/requests").status_code == 403


def test_the_dashboard_links_only_the_pages_the_policy_opens(app: FastAPI) -> None:
    with browser(app) as client:
        sign_in(client, "eu-accreditation", "accreditation")
        officer = client.get("/staff/").text
    assert 'href="/staff/operators"' not in officer
    assert 'href="/staff/audit"' not in officer
    assert 'href="/staff/people"' in officer
    assert "Pages not listed need another role or purpose" in officer
    with browser(app) as client:
        sign_in(client, "eu-admin", "security")
        admin = client.get("/staff/").text
    assert 'href="/staff/operators"' in admin
    assert 'href="/staff/audit"' not in admin  # the audit log is the DPO's
