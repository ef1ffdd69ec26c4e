"""Addresses no page serves: a person gets the HTML 404 page, programs keep JSON errors."""

from __future__ import annotations

import pytest
from fastapi import FastAPI, HTTPException
from fastapi.testclient import TestClient

from podium.api import create_app
from podium.core.db import Planes
from podium.web import install_error_pages
from podium.web.error_pages import is_page_path


@pytest.mark.parametrize(
    "path", ["/de/", "/de/medals", "/favicon.png", "/no/such/page", "/EN/medals", "/fr-ca/"]
)
def test_unknown_address_outside_the_languages_is_the_english_404_page(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in response.text
    assert "<h1>Page not found</h1>" in response.text
    assert 'href="/fr/" hreflang="fr"' in response.text


@pytest.mark.parametrize(
    "path", ["/api/nothing", "/api", "/odf/DT_NOPE/X", "/docs/nothing", "/openapi.json/x"]
)
def test_unknown_address_of_a_machine_interface_keeps_the_json_404(
    client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_an_http_error_raised_by_an_api_route_keeps_its_json_detail() -> None:
    app = FastAPI()

    @app.get("/api/units/{rsc}")
    def missing(rsc: str) -> None:
        raise HTTPException(status_code=404, detail=f"no unit {rsc}")

    @app.get("/pages/teapot")
    def teapot() -> None:
        raise HTTPException(status_code=418, detail="teapot")

    install_error_pages(app)
    with TestClient(app) as app_client:
        assert app_client.get("/api/units/X").json() == {"detail": "no unit X"}
        assert app_client.get("/pages/teapot").json() == {"detail": "teapot"}


def test_the_application_factory_with_error_pages_answers_people_and_programs(
    planes: Planes,
) -> None:
    app = create_app(planes=planes)
    install_error_pages(app)
    with TestClient(app) as app_client:
        page = app_client.get("/de/medals")
        assert page.status_code == 404
        assert page.headers["content-type"].startswith("text/html")
        api = app_client.get("/api/units/NOPE")
        assert api.status_code == 404
        assert api.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize(
    ("path", "is_page"),
    [
        ("/de/", True),
        ("/favicon.ico", True),
        ("/apis", True),
        ("/api", False),
        ("/api/units/X", False),
        ("/odf/", False),
        ("/docs", False),
        ("/openapi.json", False),
    ],
)
def test_only_addresses_outside_the_machine_interfaces_are_pages(path: str, is_page: bool) -> None:
    assert is_page_path(path) is is_page


def test_robots_txt_allows_every_crawler_everywhere(client: TestClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.splitlines() == ["User-agent: *", "Allow: /"]


def test_favicon_ico_is_answered_without_content_and_pages_link_an_svg_icon(
    client: TestClient,
) -> None:
    assert client.get("/favicon.ico").status_code == 204
    icon = client.get("/assets/icon.svg")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/svg+xml"
    assert icon.text.startswith("<svg")
    assert (
        '<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">' in client.get("/en/").text
    )
