"""ODF codes in addresses are accepted in any case, redirecting to the upper-case address."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HEAT = "SWMM100MBA------------HEAT000100--"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("/en/nocs/usa", "/en/nocs/USA"),
        ("/fr/nocs/Fra", "/fr/nocs/FRA"),
        ("/en/events/swmm100mba", "/en/events/SWMM100MBA"),
        (f"/fr/units/{HEAT.lower()}", f"/fr/units/{HEAT}"),
        ("/en/nocs/usa?games=PG2024", "/en/nocs/USA?games=PG2024"),
    ],
)
def test_code_in_lower_case_redirects_permanently_to_the_upper_case_address(
    client: TestClient, typed: str, canonical: str
) -> None:
    response = client.get(typed, follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == canonical
    assert client.get(typed).status_code == 200


@pytest.mark.parametrize("path", ["/en/nocs/xxx", "/en/events/nope", "/en/units/nope"])
def test_unknown_code_in_lower_case_is_the_404_page_without_a_redirect(
    client: TestClient, path: str
) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.text


def test_filters_accept_codes_in_lower_case(client: TestClient) -> None:
    assert (
        client.get("/en/medallists?games=OG2024&noc=fra").text.count('href="/en/nocs/FRA">FRA<')
        == 64
    )
    html = client.get("/en/schedule?day=2024-07-28&discipline=swm&venue=def").text
    assert HEAT in html
    assert '<option value="SWM" selected>' in html
