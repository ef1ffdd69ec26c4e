from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.results.medals import (
    Competition,
    FinalPlace,
    Medal,
    MedalAward,
    MedalError,
    MedalRule,
    allocate_medals,
    medal_standings,
)


def award(noc, medal, event="e1", code=None, team=None):
    return MedalAward(
        Competition.OG2024, event, "SWM", medal, noc, code or noc, noc, date(2024, 7, 27), team
    )


def test_medals_go_to_ranks_one_two_three():
    places = [FinalPlace("a", 1), FinalPlace("b", 2), FinalPlace("c", 3), FinalPlace("d", 4)]
    assert allocate_medals(places, MedalRule.SINGLE_BRONZE) == {
        "a": Medal.GOLD,
        "b": Medal.SILVER,
        "c": Medal.BRONZE,
    }


def test_two_golds_leave_no_silver():
    places = [FinalPlace("a", 1), FinalPlace("b", 1), FinalPlace("c", 3)]
    assert allocate_medals(places, MedalRule.SINGLE_BRONZE) == {
        "a": Medal.GOLD,
        "b": Medal.GOLD,
        "c": Medal.BRONZE,
    }


def test_combat_sports_give_two_bronzes():
    places = [FinalPlace("a", 1), FinalPlace("b", 2), FinalPlace("c", 3), FinalPlace("d", 3)]
    medals = allocate_medals(places, MedalRule.TWO_BRONZES)
    assert [medals[k] for k in "cd"] == [Medal.BRONZE, Medal.BRONZE]


def test_a_combat_final_ranking_with_one_bronze_is_refused():
    places = [FinalPlace("a", 1), FinalPlace("b", 2), FinalPlace("c", 3), FinalPlace("d", 4)]
    with pytest.raises(MedalError) as caught:
        allocate_medals(places, MedalRule.TWO_BRONZES)
    assert caught.value.code == "two_bronzes_expected"


def test_standings_order_gold_then_silver_then_bronze_and_share_ranks():
    awards = [
        award("USA", Medal.GOLD, "e1"),
        award("CHN", Medal.GOLD, "e2"),
        award("USA", Medal.SILVER, "e2"),
        award("FRA", Medal.SILVER, "e1"),
        award("GBR", Medal.SILVER, "e3"),
    ]
    table = [(s.noc, s.gold, s.silver, s.bronze, s.total, s.rank) for s in medal_standings(awards)]
    assert table == [
        ("USA", 1, 1, 0, 2, 1),
        ("CHN", 1, 0, 0, 1, 2),
        ("FRA", 0, 1, 0, 1, 3),
        ("GBR", 0, 1, 0, 1, 3),
    ]


def test_a_team_medal_counts_once_for_its_noc():
    members = [award("NED", Medal.GOLD, "relay", code=f"m{i}", team="relay-NED") for i in range(4)]
    (standing,) = medal_standings(members)
    assert (standing.gold, standing.total) == (1, 1)


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.sampled_from(list(Medal)))))
def test_standing_ranks_are_competition_ranks_of_the_medal_triple(pairs):
    awards = [award(noc, medal, f"e{i}") for i, (noc, medal) in enumerate(pairs)]
    table = medal_standings(awards)
    assert sum(s.total for s in table) == len(pairs)
    for s in table:
        better = sum(
            1 for o in table if (o.gold, o.silver, o.bronze) > (s.gold, s.silver, s.bronze)
        )
        assert s.rank == better + 1


def test_a_tie_for_gold_written_1_1_2_is_refused() -> None:
    places = [FinalPlace("A", 1), FinalPlace("B", 1), FinalPlace("C", 2)]
    with pytest.raises(MedalError) as raised:
        allocate_medals(places, MedalRule.SINGLE_BRONZE)
    assert raised.value.code == "not_competition_ranking"


def test_two_bronzes_without_gold_and_silver_are_refused() -> None:
    with pytest.raises(MedalError) as raised:
        allocate_medals([FinalPlace("C", 3), FinalPlace("D", 3)], MedalRule.TWO_BRONZES)
    assert raised.value.code == "not_competition_ranking"


def test_a_participant_ranked_twice_is_refused() -> None:
    with pytest.raises(MedalError) as raised:
        allocate_medals([FinalPlace("A", 1), FinalPlace("A", 3)], MedalRule.SINGLE_BRONZE)
    assert raised.value.code == "participant_ranked_twice"
