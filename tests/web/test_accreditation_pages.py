"""The accreditation desk and the organisation portal over the imported node (TestClient).

Sign-in, CSRF, the organisation boundary, the lifecycle forms (Post/Redirect/Get, refusals
at once with 422), the card PDFs, registration one by one and by CSV, portraits, and both
languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select
from tests.web.test_accreditation_pages_support import (
    ORG_A,
    AccreditationWorld,
    build_world,
    csrf_of,
    person_fields,
    portrait,
    sign_in,
    status_of,
)

from podium.accreditation import Accreditation
from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.paris2024 import ImportReport
from podium.privacy.audit import AuditRecord
from podium.privacy.spine import Spine


@pytest.fixture(scope="session")
def planes(imported: tuple[Planes, ImportReport, Path]) -> Planes:
    """The root conftest's imported node (whose keys the spine holds)."""
    return imported[0]


@pytest.fixture(scope="session")
def world(planes: Planes, spine: Spine) -> AccreditationWorld:
    return build_world(planes, spine)


@pytest.fixture(scope="module")
def app(
    node_settings: Settings, planes: Planes, spine: Spine, world: AccreditationWorld
) -> FastAPI:
    del world
    return create_app(node_settings, planes, spine)


@contextmanager
def browser(app: FastAPI) -> Iterator[TestClient]:
    """A client with its own cookie jar, that does not follow redirects."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def _step(client: TestClient, number: int, step: str, token: str, **form: str) -> str:
    """Take a desk step that must succeed; return the page it redirects to."""
    response = client.post(f"/staff/accreditation/{number}/{step}", data={"csrf": token, **form})
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/staff/accreditation/{number}?done={step}"
    return client.get(response.headers["location"]).text


# --- Sign-in and boundaries -----------------------------------------------------------------


def test_every_page_asks_a_signed_out_visitor_to_sign_in(app: FastAPI) -> None:
    with browser(app) as client:
        for path in (
            "/staff/accreditation",
            "/staff/fr/accreditation",
            "/staff/portal",
            "/staff/fr/portal",
            "/staff/accreditation/1",
            "/staff/accreditation/1/card.pdf",
        ):
            response = client.get(path)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/staff/login?next=")
        response = client.post("/staff/accreditation/1/refuse", data={"reason": "x"})
        assert response.status_code == 303
        assert response.headers["location"].startswith("/staff/login")


def test_a_form_without_the_sessions_csrf_token_is_refused(
    app: FastAPI, world: AccreditationWorld, planes: Planes
) -> None:
    number = world.numbers["CZ-001"]
    with browser(app) as client:
        sign_in(client, "eu-desk")
        response = client.post(f"/staff/accreditation/{number}/refuse", data={"reason": "x"})
        assert response.status_code == 403
        assert "not sent from this site" in response.text
    assert status_of(planes, number) == "applied"


def test_an_organisations_operator_sees_only_its_own_people(
    app: FastAPI, world: AccreditationWorld
) -> None:
    with browser(app) as client:
        sign_in(client, "pdmb-registrar")
        page = client.get("/staff/portal")
        assert page.status_code == 200
        assert "Schmidt".upper() in page.text
        assert "ČERNÝ" not in page.text
        desk = client.get(f"/staff/accreditation/{world.numbers['CZ-001']}")
        assert desk.status_code == 403  # the desk is for accreditation officers
        assert client.get(f"/staff/portal?organisation={ORG_A}").status_code == 403
        token = csrf_of(page.text)
        photo = client.post(
            "/staff/portal/photo",
            data={"csrf": token, "number": str(world.numbers["CZ-001"])},
            files={"portrait": ("p.jpg", portrait(), "image/jpeg")},
        )
        assert photo.status_code == 403
        assert "another organisation" in photo.text


def test_an_operator_without_an_organisation_gets_no_portal(
    app: FastAPI, operators: dict[str, object]
) -> None:
    del operators
    with browser(app) as client:
        sign_in(client, "us-support", "operations")
        response = client.get("/staff/portal")
        assert response.status_code == 403
        # a support engineer's roles grant no registration ([role_scopes] of the policy)
        assert "people:registration:write" in response.text
        assert client.get("/staff/accreditation").status_code == 403  # no desk role


# --- The desk -------------------------------------------------------------------------------


def test_the_desk_finds_a_person_by_family_name_accents_and_case_ignored(
    app: FastAPI, world: AccreditationWorld
) -> None:
    with browser(app) as client:
        sign_in(client, "eu-desk")
        page = client.get("/staff/accreditation", params={"q": "cerny"})
        assert page.status_code == 200
        assert "Ondřej ČERNÝ" in page.text
        assert f'href="/staff/accreditation/{world.numbers["CZ-001"]}"' in page.text
        by_number = client.get("/staff/accreditation", params={"q": str(world.other)})
        assert by_number.status_code == 303
        assert by_number.headers["location"] == f"/staff/accreditation/{world.other}"
        empty = client.get("/staff/accreditation", params={"q": " "})
        assert empty.status_code == 422
        assert 'role="alert"' in empty.text
        assert 'aria-invalid="true"' in empty.text
        assert client.get("/staff/accreditation/999999999").status_code == 404
        assert client.get("/staff/accreditation/nope").status_code == 404


def test_the_whole_lifecycle_at_the_desk_with_history_and_a_card(
    app: FastAPI, world: AccreditationWorld, planes: Planes
) -> None:
    number = world.numbers["PL-002"]
    with browser(app) as client:
        token = sign_in(client, "eu-desk")
        page = client.get(f"/staff/accreditation/{number}").text
        assert "Łukasz WÓJCIK" in page
        assert f'action="/staff/accreditation/{number}/submit"' in page
        assert f'action="/staff/accreditation/{number}/print"' not in page
        page = _step(client, number, "submit", token)
        assert 'role="status"' in page
        assert "Sent to vetting." in page
        page = _step(client, number, "approve", token)
        assert "Approved." in page
        page = _step(client, number, "print", token)
        assert "Card printed." in page
        assert f"/staff/accreditation/{number}/card.pdf" in page
        card = client.get(f"/staff/accreditation/{number}/card.pdf")
        assert card.status_code == 200
        assert card.headers["content-type"] == "application/pdf"
        assert "attachment" in card.headers["content-disposition"]
        reader = PdfReader(BytesIO(card.content))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert "Łukasz" in text
        assert "WÓJCIK" in text
        assert "Written and photographic press" in text
        assert any(image.image.mode == "RGB" for image in reader.pages[0].images)  # portrait
        page = _step(client, number, "validate", token)
        assert "Validated at collection." in page
        page = _step(client, number, "suspend", token, reason="lost card reported")
        assert "lost card reported" in page
        page = _step(client, number, "revoke", token, reason="misuse")
        assert "No step is possible in this status." in page
        for word in ("Applied", "In vetting", "Approved", "Printed", "Validated", "Suspended"):
            assert f"<td>{word}</td>" in page
    assert status_of(planes, number) == "revoked"


def test_a_vetting_officer_takes_the_vetting_step_at_the_desk_and_no_other(
    app: FastAPI, world: AccreditationWorld, planes: Planes
) -> None:
    number = world.numbers["IT-006"]
    with browser(app) as client:
        _step(client, number, "submit", sign_in(client, "eu-desk"))
    with browser(app) as client:
        token = sign_in(client, "eu-vetting", purpose="vetting")
        page = _step(client, number, "approve", token)
        assert "Approved." in page
        refused = client.post(f"/staff/accreditation/{number}/print", data={"csrf": token})
        assert refused.status_code == 403
        assert "accreditation:application:write" in refused.text
    assert status_of(planes, number) == "approved"


def test_a_refusal_without_a_reason_is_shown_beside_the_form_and_nothing_changes(
    app: FastAPI, world: AccreditationWorld, planes: Planes
) -> None:
    number = world.numbers["GR-003"]
    with browser(app) as client:
        token = sign_in(client, "eu-desk")
        response = client.post(
            f"/staff/accreditation/{number}/refuse", data={"csrf": token, "reason": " "}
        )
        assert response.status_code == 422
        assert 'role="alert"' in response.text
        assert 'href="#f-refuse-reason"' in response.text
        assert 'id="f-refuse-reason-error"' in response.text
        assert status_of(planes, number) == "applied"
        wrong = client.post(f"/staff/accreditation/{number}/validate", data={"csrf": token})
        assert wrong.status_code == 422
        assert "not possible in the accreditation" in wrong.text
        page = _step(client, number, "refuse", token, reason="document unreadable")
        assert "Refused." in page
        assert "document unreadable" in page
    assert status_of(planes, number) == "refused"


def test_the_desk_lists_by_filters_and_prints_the_checked_cards_in_one_pdf(
    app: FastAPI, world: AccreditationWorld, planes: Planes
) -> None:
    with browser(app) as client:
        token = sign_in(client, "eu-desk")
        number = world.numbers["CZ-001"]
        _step(client, number, "submit", token)
        _step(client, number, "approve", token)
        listed = client.get(
            "/staff/accreditation", params={"organisation": ORG_A, "status": "approved"}
        )
        assert listed.status_code == 200
        assert f'name="number" value="{number}" checked' in listed.text
        response = client.post(
            "/staff/accreditation/print",
            data={"csrf": token, "number": [str(number)], "back": "?organisation=PDMA"},
        )
        assert response.status_code == 303
        location = response.headers["location"]
        assert location == f"/staff/accreditation?organisation=PDMA&printed={number}"
        page = client.get(location).text
        assert "Cards printed: 1." in page
        pdf = client.get(f"/staff/accreditation-cards.pdf?numbers={number}")
        assert pdf.status_code == 200
        assert "Ondřej" in PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
        nothing = client.post("/staff/accreditation/print", data={"csrf": token})
        assert nothing.headers["location"].endswith("error=nothing_checked")
        assert "Check at least one card" in client.get(nothing.headers["location"]).text
    assert status_of(planes, number) == "printed"


def test_an_operator_outside_the_eu_sees_no_name_and_prints_no_card(
    app: FastAPI, world: AccreditationWorld, planes: Planes
) -> None:
    number = world.numbers["CZ-001"]
    with browser(app) as client:
        sign_in(client, "ch-desk")
        page = client.get(f"/staff/accreditation/{number}")
        assert page.status_code == 200
        assert "ČERNÝ" not in page.text
        assert "outside-eu" in page.text
        found = client.get("/staff/accreditation", params={"q": "Černý"})
        assert "ČERNÝ" not in found.text
        assert "Ondřej" not in found.text
        card = client.get(f"/staff/accreditation/{number}/card.pdf")
        assert card.status_code == 403
        assert "outside-eu" in card.text
    with planes.sovereign_session() as session:
        denied = session.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "accreditation.card.print", AuditRecord.decision == "deny"
            )
        ).all()
    assert denied


# --- The portal -----------------------------------------------------------------------------


def test_the_portal_shows_quota_use_and_people_in_french(
    app: FastAPI, world: AccreditationWorld
) -> None:
    del world
    with browser(app) as client:
        sign_in(client, "pdma-registrar")
        page = client.get("/staff/fr/portal")
        assert page.status_code == 200
        assert '<html lang="fr">' in page.text
        assert "Portail des organisations" in page.text
        assert "Ondřej ČERNÝ" in page.text
        assert 'href="/staff/portal"' in page.text  # the English version
        assert "Presse écrite et photographique" in page.text
        english = client.get("/staff/portal").text
        assert '<html lang="en">' in english
        assert "Accreditations held per category" in english


def test_registering_one_person_shows_each_refused_field_beside_it(
    app: FastAPI, world: AccreditationWorld, planes: Planes
) -> None:
    del world
    with browser(app) as client:
        token = sign_in(client, "pdma-registrar")
        bad = person_fields("CZ-010", "Novák", "Jan", "M") | {
            "nationality": "czech",
            "birth_date": "1996-02-30",
            "csrf": token,
        }
        response = client.post("/staff/portal/register", data=bad)
        assert response.status_code == 422
        assert 'role="alert"' in response.text
        for field in ("nationality", "birth_date"):
            assert f'href="#f-{field}"' in response.text
            assert f'id="f-{field}-error"' in response.text
        assert 'value="Novák"' in response.text  # the form keeps what was typed
        good = person_fields("CZ-010", "Novák", "Jan", "M") | {"csrf": token}
        response = client.post(
            "/staff/portal/register",
            data=good,
            files={"photo": ("jan.jpg", portrait((90, 90, 90)), "image/jpeg")},
        )
        assert response.status_code == 303, response.text
        page = client.get(response.headers["location"]).text
        assert "Registered: accreditation" in page
        assert "Jan NOVÁK" in page
    with planes.games_session() as games:
        assert games.scalar(
            select(Accreditation.status).where(
                Accreditation.organisation_code == ORG_A, Accreditation.function == "Photographer"
            )
        )


def test_a_csv_import_reports_every_rejected_row_with_line_column_and_reason(
    app: FastAPI, world: AccreditationWorld
) -> None:
    del world
    header = ",".join(person_fields("x", "x", "x", "M"))
    rows = [
        ",".join(person_fields("CSV-1", "Dvořák", "Petr", "M").values()),
        ",".join((person_fields("CSV-2", "Svoboda", "Eva", "W") | {"category": "ZZ"}).values()),
        ",".join((person_fields("CSV-3", "", "Ida", "W")).values()),
    ]
    data = ("\n".join([header, *rows]) + "\n").encode()
    with browser(app) as client:
        token = sign_in(client, "pdma-registrar")
        response = client.post(
            "/staff/portal/import",
            data={"csrf": token},
            files={"people": ("people.csv", data, "text/csv")},
        )
        assert response.status_code == 200
        text = response.text
        assert "Import report of people.csv" in text
        assert "Rejected rows" in text
        assert '<th scope="row" class="num">3</th>' in text
        assert "<code>category</code>" in text
        assert '<th scope="row" class="num">4</th>' in text
        assert "<code>family_name</code>" in text
        assert "Petr DVOŘÁK" in text
        broken = client.post(
            "/staff/portal/import",
            data={"csrf": token},
            files={"people": ("bad.csv", b"name,age\nx,1\n", "text/csv")},
        )
        assert broken.status_code == 422
        assert 'id="f-people-error"' in broken.text


def test_a_portrait_is_checked_and_stored(app: FastAPI, world: AccreditationWorld) -> None:
    number = world.numbers["GR-003"]
    with browser(app) as client:
        token = sign_in(client, "pdma-registrar")
        wide = BytesIO()
        Image.new("RGB", (800, 400), (0, 0, 0)).save(wide, "PNG")
        refused = client.post(
            "/staff/portal/photo",
            data={"csrf": token, "number": str(number)},
            files={"portrait": ("wide.png", wide.getvalue(), "image/png")},
        )
        assert refused.status_code == 422
        assert 'id="f-portrait-error"' in refused.text
        stored = client.post(
            "/staff/portal/photo",
            data={"csrf": token, "number": str(number)},
            files={"portrait": ("p.jpg", portrait(), "image/jpeg")},
        )
        assert stored.status_code == 303
        assert (
            f"Portrait stored for accreditation {number}."
            in client.get(stored.headers["location"]).text
        )
