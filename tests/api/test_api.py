"""The JSON API and the ODF routes over the imported Paris 2024 data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from podium.api import create_app
from podium.core.db import Planes
from podium.core.settings import Settings
from podium.odf import validate_message
from podium.privacy.spine import Spine


@pytest.fixture(scope="module")
def client(node_settings: Settings, planes: Planes, spine: Spine) -> Iterator[TestClient]:
    with TestClient(create_app(node_settings, planes, spine)) as test_client:
        yield test_client


def test_medal_table_is_the_official_one(client: TestClient) -> None:
    table = client.get("/api/medals").json()
    assert table[:2] == [
        {"rank": 1, "noc": "USA", "gold": 40, "silver": 44, "bronze": 42, "total": 126},
        {"rank": 2, "noc": "CHN", "gold": 40, "silver": 27, "bronze": 24, "total": 91},
    ]
    paralympic = client.get("/api/medals", params={"games": "PG2024"}).json()
    assert paralympic[0]["noc"] == "CHN"
    assert paralympic[0]["total"] == 220


def test_schedule_filters_by_day_discipline_and_venue(client: TestClient) -> None:
    units = client.get(
        "/api/schedule", params={"day": "2024-08-04", "discipline": "ATH", "venue": "STA"}
    ).json()
    assert units
    assert {u["discipline_code"] for u in units} == {"ATH"}
    assert "ATHM100M--------------FNL-000100--" in {u["rsc"] for u in units}
    starts = [u["starts_at"] for u in units]
    assert starts == sorted(starts)


def test_unit_results_in_published_order(client: TestClient) -> None:
    results = client.get("/api/units/ATHM100M--------------FNL-000100--/results").json()
    assert [(r["rank"], r["competitor_name"], r["result"]) for r in results[:2]] == [
        (1, "LYLES Noah", "9.79"),
        (2, "THOMPSON Kishane", "9.79"),
    ]


def test_errors_share_one_shape_and_do_not_echo_long_input(client: TestClient) -> None:
    missing = client.get("/api/units/" + "X" * 5000)
    assert missing.status_code == 404
    assert missing.json()["error"] == "unit_not_found"
    assert len(missing.text) < 300
    bad_day = client.get("/api/schedule", params={"day": "notadate"})
    assert bad_day.status_code == 422
    body = bad_day.json()
    assert body["error"] == "invalid_request"
    assert body["detail"][0]["where"] == "query.day"
    bad_games = client.get("/api/medals", params={"games": "XX"})
    assert bad_games.status_code == 422
    assert bad_games.json()["error"] == "invalid_request"


def test_odf_messages_are_listed_and_served_valid(client: TestClient) -> None:
    index = client.get("/odf/").json()
    assert len(index) == 4519
    medals = client.get("/odf/DT_MEDALS/" + "-" * 34)
    assert medals.status_code == 200
    assert medals.headers["content-type"].startswith("application/xml")
    assert validate_message(medals.content) == []
    missing = client.get("/odf/DT_RESULT/nope")
    assert missing.status_code == 404
    assert missing.json()["error"] == "odf_message_not_found"


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/medals" in spec["paths"]
    assert client.get("/docs").status_code == 200
