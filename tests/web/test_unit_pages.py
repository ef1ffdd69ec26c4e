"""A unit's page: only the result columns that hold something, medallists marked in words,
medal badges that say what they mean, and why a finished unit may have no results."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient

from podium.results import ResultPublic
from podium.web.coverage import DayCoverage, last_day_with_results
from podium.web.unit_pages import shown_columns

HEAT = "SWMM100MBA------------HEAT000100--"
FINAL_100M = "ATHM100M--------------FNL-000100--"


def _header(html: str) -> list[str]:
    head = html.split('<table class="data results">', 1)[1].split("</thead>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", cell)
        for cell in re.findall(r"<th scope=\"col\"[^>]*>.*?</th>", head)
    ]


def _result(**values: object) -> ResultPublic:
    base: dict[str, object] = {
        "competitor_code": "1",
        "competitor_type": "Person",
        "competitor_name": "DOE Jane",
        "noc": "FRA",
        "rank": None,
        "result": None,
        "result_type": None,
        "irm": None,
        "wlt": None,
        "diff": None,
        "qualification_mark": None,
        "start_order": None,
        "bib": None,
    }
    return ResultPublic.model_validate(base | values)


def test_a_column_is_shown_when_any_row_has_a_value() -> None:
    rows = [_result(rank=1, result="9.79"), _result(irm="DNS"), _result(diff="", rank=2)]
    assert shown_columns(rows) == {"rank", "result", "irm"}
    assert shown_columns([]) == frozenset()


def test_result_columns_empty_for_every_row_are_left_out(client: TestClient) -> None:
    heat = client.get(f"/en/units/{HEAT}").text
    assert _header(heat) == ["Rank", "Competitor", "NOC", "Result", "Behind"]
    disqualified = client.get("/en/units/SWMM100MBR------------HEAT000200--").text
    assert "IRM" in _header(disqualified)
    qualifying = client.get("/en/units/ATHM100M--------------PREL000100--").text
    assert "Qualification" in _header(qualifying)


def test_medallists_of_a_medal_unit_are_marked_in_words(client: TestClient) -> None:
    html = client.get(f"/en/units/{FINAL_100M}").text
    assert _header(html) == ["Rank", "Competitor", "NOC", "Medal", "Result"]
    body = html.split("<tbody>", 1)[1]
    marked = dict(
        re.findall(
            r'<th scope="row">([^<]+)</th>(?:(?!</tr>).)*class="medal [^>]+>([^<]+)<',
            body,
            flags=re.DOTALL,
        )
    )
    assert marked == {"LYLES Noah": "Gold", "THOMPSON Kishane": "Silver", "KERLEY Fred": "Bronze"}
    assert "Médaille" in client.get(f"/fr/units/{FINAL_100M}").text


def test_a_unit_that_awards_no_medal_has_no_medal_column(client: TestClient) -> None:
    assert "Medal" not in _header(client.get(f"/en/units/{HEAT}").text)


def test_medal_badges_say_which_medal_is_awarded_in_the_unit(client: TestClient) -> None:
    english = client.get(f"/en/units/{FINAL_100M}").text
    assert "Final: gold medal awarded here" in english
    assert "Gold medal unit" not in english
    french = client.get("/fr/schedule?day=2024-08-04&discipline=ATH").text
    assert "Finale : la médaille d’or est décernée ici" in french
    bronze = client.get("/en/events/JUDM60KG").text
    assert "Bronze final: bronze medal awarded here" in bronze


def test_results_end_on_the_last_day_whose_finished_units_mostly_have_results() -> None:
    days = {
        date(2024, 8, 8): DayCoverage(with_results=214, without_results=1),
        date(2024, 8, 9): DayCoverage(with_results=252, without_results=4),
        # Units known only from their final's page, dated on the final's day.
        date(2024, 8, 10): DayCoverage(with_results=3, without_results=191),
        date(2024, 8, 11): DayCoverage(with_results=0, without_results=39),
    }
    assert last_day_with_results(days) == date(2024, 8, 9)
    assert last_day_with_results({date(2024, 8, 1): DayCoverage(1, 1)}) == date(2024, 8, 1)
    assert last_day_with_results({date(2024, 8, 1): DayCoverage(0, 5)}) is None
    assert last_day_with_results({}) is None


def test_finished_unit_after_the_data_set_says_where_the_results_end(client: TestClient) -> None:
    marathon = "/units/ATHMMARATHON----------FNL-000100--"
    english = client.get(f"/en{marathon}").text
    assert "the bundled data set ends on Friday, 9 August 2024" in english
    assert "No results are published" not in english
    french = client.get(f"/fr{marathon}").text
    assert "le jeu de données fourni s’arrête le vendredi 9 août 2024" in french


def test_finished_unit_within_the_data_set_without_results_says_none_are_published(
    client: TestClient,
) -> None:
    html = client.get("/en/units/GARM------------------QUAL000001--").text
    assert "No results are published for this unit." in html
    assert "data set ends" not in html
